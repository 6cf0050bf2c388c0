package dev.rewind.storage.bench;

import dev.rewind.storage.FloatBlock;
import dev.rewind.storage.SpikeFrame;
import dev.rewind.storage.format.BlobCodec;
import dev.rewind.storage.format.BlobFormat;
import dev.rewind.storage.format.FloatCompression;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Spike codec sizes against the entropy bound, and dense float compression on LIF states. */
final class CodecSizes {
  private static final BlobCodec CODEC = new BlobCodec(FloatCompression.NONE);

  private CodecSizes() {}

  /** Bytes per spike of a frame stream at density p, against min(bitmap, entropy bound). */
  record SpikeRow(
      double density,
      int rows,
      int cols,
      int frames,
      double payloadPerSpike,
      double filePerSpike,
      double entropyPerSpike,
      double bitmapPerSpike,
      String codecs,
      double encodeNsPerSpike,
      double decodeNsPerSpike) {
    double ratio() {
      return payloadPerSpike / Math.min(entropyPerSpike, bitmapPerSpike);
    }
  }

  static SpikeRow spikes(double p, int rows, int cols, int frames, long seed) throws Exception {
    Random random = new Random(seed);
    SpikeFrame[] stream = new SpikeFrame[frames];
    boolean[] cells = new boolean[rows * cols];
    long spikes = 0;
    double entropyBits = 0;
    for (int f = 0; f < frames; f++) {
      int count = 0;
      for (int i = 0; i < cells.length; i++) {
        cells[i] = random.nextDouble() < p;
        count += cells[i] ? 1 : 0;
      }
      stream[f] = SpikeFrame.fromDense(rows, cols, cells);
      spikes += count;
      entropyBits += cells.length * binaryEntropy((double) count / cells.length);
    }
    long headerBytes = BlobFormat.imageLength(2, 0);
    long fileBytes = 0;
    Map<String, Integer> chosen = new TreeMap<>();
    byte[][] images = new byte[frames][];
    double encodeNanos = Double.MAX_VALUE;
    double decodeNanos = Double.MAX_VALUE;
    for (int round = 0; round < 5; round++) {
      long start = System.nanoTime();
      for (int f = 0; f < frames; f++) {
        images[f] = CODEC.encode(stream[f]);
      }
      encodeNanos = Math.min(encodeNanos, System.nanoTime() - start);
      SpikeFrame[] decoded = new SpikeFrame[frames];
      start = System.nanoTime();
      for (int f = 0; f < frames; f++) {
        decoded[f] = (SpikeFrame) CODEC.decode(images[f], "bench");
      }
      decodeNanos = Math.min(decodeNanos, System.nanoTime() - start);
      for (int f = 0; f < frames; f++) {
        if (!decoded[f].equals(stream[f])) {
          throw new IllegalStateException("round trip failed at frame " + f);
        }
      }
    }
    for (int f = 0; f < frames; f++) {
      fileBytes += images[f].length;
      chosen.merge(codecName(images[f]), 1, Integer::sum);
    }
    long payload = fileBytes - frames * headerBytes;
    double bitmapBytes = frames * Math.ceil(rows * cols / 8.0);
    return new SpikeRow(
        p,
        rows,
        cols,
        frames,
        (double) payload / spikes,
        (double) fileBytes / spikes,
        entropyBits / 8 / spikes,
        bitmapBytes / spikes,
        chosen.toString(),
        encodeNanos / spikes,
        decodeNanos / spikes);
  }

  /** Compressed size and speed of one float block under each compression setting. */
  record FloatRow(
      String data,
      FloatCompression compression,
      double sizeRatio,
      double encodeMbps,
      double decodeMbps) {}

  static Map<FloatCompression, FloatRow> floats(String name, float[] values, int repeats)
      throws Exception {
    Map<FloatCompression, FloatRow> rows = new EnumMap<>(FloatCompression.class);
    FloatBlock block = FloatBlock.of(values);
    double mb = 4.0 * values.length / 1e6;
    for (FloatCompression compression : FloatCompression.values()) {
      BlobCodec codec = new BlobCodec(compression);
      byte[] image = codec.encode(block);
      for (int i = 0; i < repeats; i++) {
        codec.decode(codec.encode(block), "warm-up");
      }
      long start = System.nanoTime();
      for (int i = 0; i < repeats; i++) {
        image = codec.encode(block);
      }
      double encode = mb * repeats / ((System.nanoTime() - start) / 1e9);
      start = System.nanoTime();
      for (int i = 0; i < repeats; i++) {
        codec.decode(image, "bench");
      }
      double decode = mb * repeats / ((System.nanoTime() - start) / 1e9);
      double ratio = (image.length - BlobFormat.imageLength(1, 0)) / (4.0 * values.length);
      rows.put(compression, new FloatRow(name, compression, ratio, encode, decode));
    }
    return rows;
  }

  /** Membrane potentials of a LIF layer after {@code steps} steps of noisy input. */
  static float[] membranePotentials(int neurons, int steps, long seed) {
    Random random = new Random(seed);
    float[] v = new float[neurons];
    for (int t = 0; t < steps; t++) {
      for (int i = 0; i < neurons; i++) {
        float next = 0.95f * v[i] + (float) (0.12 * random.nextGaussian() + 0.03);
        v[i] = next > 1f ? next - 1f : next;
      }
    }
    return v;
  }

  /** Surrogate-derivative-like floats: zero except near threshold (about 10% non-zero). */
  static float[] mostlyZeros(int n, long seed) {
    Random random = new Random(seed);
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      if (random.nextDouble() < 0.1) {
        values[i] = (float) random.nextDouble();
      }
    }
    return values;
  }

  static double binaryEntropy(double p) {
    if (p <= 0 || p >= 1) {
      return 0;
    }
    return -(p * Math.log(p) + (1 - p) * Math.log1p(-p)) / Math.log(2);
  }

  private static String codecName(byte[] image) throws Exception {
    return BlobFormat.verify(image, "bench").codec().name();
  }
}
