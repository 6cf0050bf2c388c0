package dev.rewind.storage.tier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class DirectBufferPoolTest {

  @Test
  void aReturnedBufferIsReusedWithTheRequestedLimit() {
    DirectBufferPool pool = new DirectBufferPool(1 << 20, 4 << 20);
    ByteBuffer first = pool.take(100_000);
    assertTrue(first.isDirect());
    assertEquals(0, first.position());
    assertEquals(100_000, first.limit());
    assertEquals(128 << 10, first.capacity());
    first.position(5000);
    pool.give(first);
    ByteBuffer second = pool.take(10);
    assertSame(first, second);
    assertEquals(0, second.position());
    assertEquals(10, second.limit());
  }

  @Test
  void capacitiesAreRoundedToAnEighthOfTheirPowerOfTwo() {
    DirectBufferPool pool = new DirectBufferPool(64 << 20, 64 << 20);
    assertEquals(64 << 10, pool.take(0).capacity());
    assertEquals(64 << 10, pool.take(1).capacity());
    assertEquals((1 << 20) + (128 << 10), pool.take((1 << 20) + 33).capacity());
    assertEquals(18 << 20, pool.take((16 << 20) + 33).capacity());
    assertEquals(64 << 20, pool.take(64 << 20).capacity());
  }

  @Test
  void aLargerRequestGetsALargerBuffer() {
    DirectBufferPool pool = new DirectBufferPool(1 << 20, 4 << 20);
    ByteBuffer small = pool.take(1000);
    pool.give(small);
    ByteBuffer large = pool.take(700_000);
    assertNotSame(small, large);
    assertEquals(11 << 16, large.capacity());
    assertEquals(0, pool.idleCount());
  }

  @Test
  void keepsAtMostMaxIdleBytesAndRefusesOversizedRequests() {
    DirectBufferPool pool = new DirectBufferPool(1 << 20, 1 << 20);
    ByteBuffer a = pool.take(512 << 10);
    ByteBuffer b = pool.take(512 << 10);
    ByteBuffer c = pool.take(1);
    pool.give(a);
    pool.give(b);
    pool.give(c);
    assertEquals(2, pool.idleCount());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> pool.take((1 << 20) + 1));
    assertEquals("direct buffer: expected 0 to 1048576 bytes, got 1048577", e.getMessage());
  }

  @Test
  void rejectsABadConfiguration() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new DirectBufferPool(1 << 20, 1000));
    assertEquals(
        "direct buffer pool: expected maxBufferBytes >= 65536 and maxIdleBytes >= maxBufferBytes,"
            + " got 1048576 and 1000",
        e.getMessage());
  }
}
