package dev.rewind.storage.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.storage.SpikeFrame;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Spike codec round trips over densities 0 to 1 and shapes including empty ones. */
class SpikeCodecPropertyTest {
  private final BlobCodec codec = new BlobCodec(FloatCompression.NONE);

  @Property(tries = 400)
  void chosenEncodingRoundTripsAndIsNoLargerThanBitmapOrVarint(@ForAll("frames") SpikeFrame frame)
      throws Exception {
    byte[] image = codec.encode(frame);
    assertEquals(frame, codec.decode(image, "test"));
    long payload = image.length - BlobFormat.imageLength(2, 0);
    long bitmap = SpikeCodec.bitmapLength(frame);
    long varint = deltaVarintLength(frame);
    assertTrue(
        payload <= Math.min(bitmap, varint),
        "payload " + payload + " > min(bitmap " + bitmap + ", varint " + varint + ")");
  }

  @Property(tries = 300)
  void everyEncodingRoundTrips(@ForAll("frames") SpikeFrame frame) {
    for (PayloadCodec forced :
        new PayloadCodec[] {PayloadCodec.BITMAP, PayloadCodec.DELTA_VARINT, PayloadCodec.GOLOMB}) {
      int m = SpikeCodec.golombParameter(frame.spikeCount(), SpikeCodec.cells(frame));
      byte[] out =
          new byte[(int) (2 * SpikeCodec.bitmapLength(frame) + 16L * frame.spikeCount()) + 64];
      int end = SpikeCodec.encode(frame, new SpikeCodec.Choice(forced, 0, m), out, 3);
      SpikeFrame back = SpikeCodec.decode(forced, frame.rows(), frame.cols(), out, 3, end - 3);
      assertEquals(frame, back, "codec " + forced);
    }
  }

  @Provide
  Arbitrary<SpikeFrame> frames() {
    Arbitrary<Double> density =
        Arbitraries.oneOf(
            Arbitraries.just(0.0),
            Arbitraries.just(1.0),
            Arbitraries.of(0.01, 0.05, 0.2, 0.5),
            Arbitraries.doubles().between(0, 1));
    return Combinators.combine(
            Arbitraries.integers().between(0, 24),
            Arbitraries.integers().between(0, 700),
            density,
            Arbitraries.longs())
        .as(SpikeCodecPropertyTest::randomFrame);
  }

  static SpikeFrame randomFrame(int rows, int cols, double density, long seed) {
    Random random = new Random(seed);
    boolean[] cells = new boolean[rows * cols];
    for (int i = 0; i < cells.length; i++) {
      cells[i] = random.nextDouble() < density;
    }
    return SpikeFrame.fromDense(rows, cols, cells);
  }

  /** Independent size of the delta-varint payload: count, then each gap. */
  static long deltaVarintLength(SpikeFrame frame) {
    long length = varintLength(frame.spikeCount());
    long previous = -1;
    for (int r = 0; r < frame.rows(); r++) {
      for (int i = frame.rowOffsets()[r]; i < frame.rowOffsets()[r + 1]; i++) {
        long position = (long) r * frame.cols() + frame.indices()[i];
        length += varintLength(position - previous - 1);
        previous = position;
      }
    }
    return length;
  }

  private static int varintLength(long value) {
    int n = 1;
    while (value >= 128) {
      value >>>= 7;
      n++;
    }
    return n;
  }
}
