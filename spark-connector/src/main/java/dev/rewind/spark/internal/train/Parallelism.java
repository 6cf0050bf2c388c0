package dev.rewind.spark.internal.train;

import java.io.Serializable;

/**
 * How a fit spreads its work: {@code data} (every sequence trained whole by one task, the tasks of
 * a step splitting the mini-batch) or {@code segments:S[,micro=M]} (every sequence cut in time into
 * S segments, segment k of every sequence in partition k; a step is a forward and a backward wave
 * of jobs over M micro-batches of the mini-batch, pipelined).
 *
 * <p>{@code auto} is resolved on the driver before the first job ({@code BudgetCheck.resolve}):
 * data parallelism when the longest sequence fits the memory budget whole, else the fewest segments
 * that fit. Segments make a step slower (a forward wave more, and the waves' pipeline), so they are
 * chosen for memory, not for speed.
 *
 * @param segments S, 0 for data parallelism (and for auto, until resolved)
 * @param microBatches M, 0 for the default (S: see {@link #microBatches(int)})
 * @param auto whether the choice is left to the driver
 */
public record Parallelism(int segments, int microBatches, boolean auto) implements Serializable {
  /** Data parallelism. */
  public static final Parallelism DATA = new Parallelism(0, 0, false);

  /** Data parallelism unless the longest sequence does not fit the budget whole. */
  public static final Parallelism AUTO = new Parallelism(0, 0, true);

  public Parallelism {
    if (segments < 0
        || microBatches < 0
        || (segments == 0 && microBatches != 0)
        || (auto && segments != 0)) {
      throw new IllegalArgumentException(
          "parallelism: expected segments >= 0 and micro-batches >= 0 (only with segments), got "
              + segments
              + ", "
              + microBatches);
    }
  }

  /** Parses {@code data}, {@code segments:S} or {@code segments:S,micro=M}. */
  public static Parallelism parse(String text) {
    String s = text == null ? "" : text.trim();
    if (s.equals("data")) {
      return DATA;
    }
    if (s.equals("auto")) {
      return AUTO;
    }
    if (s.startsWith("segments:")) {
      String[] parts = s.substring("segments:".length()).split(",", -1);
      try {
        int segments = Integer.parseInt(parts[0].trim());
        int micro = 0;
        if (parts.length == 2 && parts[1].trim().startsWith("micro=")) {
          micro = Integer.parseInt(parts[1].trim().substring("micro=".length()));
        } else if (parts.length != 1) {
          throw new NumberFormatException(s);
        }
        if (segments >= 1 && micro >= 0) {
          return new Parallelism(segments, micro, false);
        }
      } catch (NumberFormatException e) {
        // reported below with the accepted forms
      }
    }
    throw new IllegalArgumentException(
        "parallelism: expected data, auto, segments:S or segments:S,micro=M (S >= 1, M >= 1), got"
            + " '"
            + text
            + "'");
  }

  public boolean bySegments() {
    return segments > 0;
  }

  /**
   * M for a mini-batch of {@code batchSize} sequences: as given, else S (so that the S segments of
   * a wave are idle (S-1)/(2S-1) of it, under half, while each micro-batch keeps batchSize / S
   * sequences for the batched kernels), never more than the mini-batch holds.
   */
  public int microBatches(int batchSize) {
    return Math.max(1, Math.min(batchSize, microBatches > 0 ? microBatches : segments));
  }

  /** Sequences in each micro-batch of a mini-batch of {@code batchSize}: at most this many. */
  public int microBatchSize(int batchSize) {
    int micro = microBatches(batchSize);
    return (batchSize + micro - 1) / micro;
  }

  @Override
  public String toString() {
    if (auto) {
      return "auto";
    }
    return segments == 0
        ? "data"
        : "segments:" + segments + (microBatches > 0 ? ",micro=" + microBatches : "");
  }
}
