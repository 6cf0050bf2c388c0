package dev.rewind.storage.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.storage.Blob;
import dev.rewind.storage.ByteBlock;
import dev.rewind.storage.FloatBlock;
import dev.rewind.storage.IntBlock;
import dev.rewind.storage.SparseFloats;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Dense, sparse and byte blobs round-trip bit-exactly under every compression setting. */
class DenseCodecPropertyTest {

  @Property(tries = 200)
  void floatsRoundTripBitExactly(
      @ForAll("floatBits") int[] bits,
      @ForAll FloatCompression compression,
      @ForAll @IntRange(min = 0, max = 3) int rank)
      throws Exception {
    float[] data = new float[bits.length];
    for (int i = 0; i < bits.length; i++) {
      data[i] = Float.intBitsToFloat(bits[i]);
    }
    FloatBlock block = new FloatBlock(shapeFor(data.length, rank), data);
    Blob back = roundTrip(block, compression);
    float[] got = ((FloatBlock) back).data();
    for (int i = 0; i < data.length; i++) {
      assertEquals(Float.floatToRawIntBits(data[i]), Float.floatToRawIntBits(got[i]), "at " + i);
    }
    assertArrayEquals(block.shape(), back.shape());
  }

  @Property(tries = 100)
  void compressibleFloatsAndIntsRoundTrip(
      @ForAll FloatCompression compression, @ForAll @IntRange(min = 0, max = 5000) int n) {
    float[] floats = new float[n];
    int[] ints = new int[n];
    for (int i = 0; i < n; i++) {
      floats[i] = (i % 7 == 0) ? -0.0f : (i % 13) * 0.5f;
      ints[i] = i / 10;
    }
    assertEquals(FloatBlock.of(floats), roundTrip(FloatBlock.of(floats), compression));
    assertEquals(IntBlock.of(ints), roundTrip(IntBlock.of(ints), compression));
  }

  @Property(tries = 200)
  void intsBytesAndSparseFloatsRoundTrip(
      @ForAll("floatBits") int[] values, @ForAll long seed, @ForAll FloatCompression compression) {
    assertEquals(IntBlock.of(values), roundTrip(IntBlock.of(values), compression));
    byte[] bytes = new byte[values.length];
    new Random(seed).nextBytes(bytes);
    assertEquals(new ByteBlock(bytes), roundTrip(new ByteBlock(bytes), compression));
    Random random = new Random(seed);
    int length = values.length * 3;
    int[] indices =
        random
            .ints(0, Math.max(length, 1))
            .limit(values.length)
            .distinct()
            .sorted()
            .filter(i -> i < length)
            .toArray();
    float[] sparseValues = new float[indices.length];
    for (int i = 0; i < indices.length; i++) {
      sparseValues[i] = Float.intBitsToFloat(values[i]);
    }
    SparseFloats sparse = new SparseFloats(length, indices, sparseValues);
    assertEquals(sparse, roundTrip(sparse, compression));
  }

  @Property(tries = 20)
  void specialFloatValuesSurvive(@ForAll FloatCompression compression) {
    float[] special = {
      -0.0f,
      0.0f,
      Float.NaN,
      Float.intBitsToFloat(0x7fc00001),
      Float.intBitsToFloat(0xffbfffff),
      Float.MIN_VALUE,
      -Float.MAX_VALUE,
      Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY
    };
    FloatBlock block = FloatBlock.of(special);
    assertEquals(block, roundTrip(block, compression));
  }

  @Provide
  Arbitrary<int[]> floatBits() {
    return Arbitraries.integers().array(int[].class).ofMinSize(0).ofMaxSize(600);
  }

  private static Blob roundTrip(Blob blob, FloatCompression compression) {
    BlobCodec codec = new BlobCodec(compression);
    byte[] image = codec.encode(blob);
    assertEquals(true, image.length <= BlobCodec.maxEncodedLength(blob), "size bound");
    try {
      return codec.decode(image, "test");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static int[] shapeFor(int n, int rank) {
    if (rank == 0) {
      return n == 1 ? new int[0] : new int[] {n};
    }
    int[] shape = new int[rank];
    Arrays.fill(shape, 1);
    shape[0] = n;
    return shape;
  }
}
