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
    DirectBufferPool pool = new DirectBufferPool(2, 1 << 20);
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
  void aLargerRequestGetsALargerBuffer() {
    DirectBufferPool pool = new DirectBufferPool(2, 1 << 20);
    ByteBuffer small = pool.take(1000);
    pool.give(small);
    ByteBuffer large = pool.take(700_000);
    assertNotSame(small, large);
    assertEquals(1 << 20, large.capacity());
    assertEquals(0, pool.idleCount());
  }

  @Test
  void keepsAtMostMaxBuffersAndRefusesOversizedRequests() {
    DirectBufferPool pool = new DirectBufferPool(2, 1 << 20);
    ByteBuffer a = pool.take(1);
    ByteBuffer b = pool.take(1);
    ByteBuffer c = pool.take(1);
    pool.give(a);
    pool.give(b);
    pool.give(c);
    assertEquals(2, pool.idleCount());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> pool.take((1 << 20) + 1));
    assertEquals("direct buffer: expected 0 to 1048576 bytes, got 1048577", e.getMessage());
    pool.clear();
    assertEquals(0, pool.idleCount());
  }

  @Test
  void rejectsABadConfiguration() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new DirectBufferPool(0, 1 << 20));
    assertEquals(
        "direct buffer pool: expected maxBuffers >= 1 and maxBufferBytes >= 65536, got 0 and"
            + " 1048576",
        e.getMessage());
  }
}
