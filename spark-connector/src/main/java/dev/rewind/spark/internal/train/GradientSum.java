package dev.rewind.spark.internal.train;

import java.io.Serializable;
import org.apache.spark.TaskContext;

/**
 * The aggregator of a distributed step, in the style of MLlib's loss aggregators: {@link #add} one
 * sequence's result, {@link #merge} another partial sum; no Spark inside but the note of where a
 * merge ran. Sums are kept in double: each task's contribution is a sum of float gradients, and
 * adding a few of them in double is exact unless their magnitudes differ by more than about 2^29,
 * so the result does not depend on the order in which Spark merges task results.
 */
public final class GradientSum implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Null in {@link #none()} until the first merge. */
  double[] gradient;

  double loss;
  long correct;
  long sequences;

  /** What the mean loss and gradient are taken over: sequences, or labelled steps (per-step). */
  long scored;

  long forwardSteps;
  long recomputedSteps;
  long bytesWritten;
  long ioBlockedNanos;
  long peakOnChipBytes;
  long taskNanos;
  long driverMergeNanos;

  public GradientSum(int size) {
    this.gradient = new double[size];
  }

  private GradientSum() {}

  /**
   * A sum of no size yet, which takes the size of the first sum merged into it: the zero of a
   * step's aggregation, small enough that shipping it with every task (as Spark does with the zero
   * value) costs nothing.
   */
  public static GradientSum none() {
    return new GradientSum();
  }

  /**
   * The sum of {@code parts} merged in their order, so that its loss, a sum of doubles, does not
   * depend on the order the parts arrived in: the task slots' shares of a step or of a score.
   */
  static GradientSum inOrder(Iterable<GradientSum> parts) {
    GradientSum sum = none();
    for (GradientSum part : parts) {
      sum.merge(part);
    }
    return sum;
  }

  /** Adds one sequence's (or batch's) contribution. */
  public GradientSum add(SequenceResult r, int sequenceCount) {
    float[] g = r.gradientSum();
    if (g.length != gradient.length) {
      throw new IllegalArgumentException(
          "gradient: expected " + gradient.length + " values, got " + g.length);
    }
    for (int i = 0; i < g.length; i++) {
      gradient[i] += g[i];
    }
    loss += r.lossSum();
    correct += r.correct();
    sequences += sequenceCount;
    scored += r.scored();
    forwardSteps += r.forwardSteps();
    recomputedSteps += r.recomputedSteps();
    ioBlockedNanos += r.blockedIoNanos();
    peakOnChipBytes = Math.max(peakOnChipBytes, r.peakOnChipBytes());
    return this;
  }

  /**
   * Adds a scored group's summed loss, correct predictions, sequences and what it scored (no
   * gradient).
   */
  void addScore(double lossSum, long correctPredictions, long sequenceCount, long scoredCount) {
    loss += lossSum;
    correct += correctPredictions;
    sequences += sequenceCount;
    scored += scoredCount;
  }

  /** Records off-chip traffic and time of the task that built this sum. */
  public void addTaskCost(long bytes, long blockedNanos, long nanos) {
    bytesWritten += bytes;
    ioBlockedNanos += blockedNanos;
    taskNanos += nanos;
  }

  /** Adds {@code other} into this sum and returns this; timed when it runs on the driver. */
  public GradientSum merge(GradientSum other) {
    long start = System.nanoTime();
    if (other.gradient != null) {
      if (gradient == null) {
        gradient = new double[other.gradient.length];
      }
      if (other.gradient.length != gradient.length) {
        throw new IllegalArgumentException(
            "gradient sum: expected " + gradient.length + " values, got " + other.gradient.length);
      }
      for (int i = 0; i < gradient.length; i++) {
        gradient[i] += other.gradient[i];
      }
    }
    loss += other.loss;
    correct += other.correct;
    sequences += other.sequences;
    scored += other.scored;
    forwardSteps += other.forwardSteps;
    recomputedSteps += other.recomputedSteps;
    bytesWritten += other.bytesWritten;
    ioBlockedNanos += other.ioBlockedNanos;
    peakOnChipBytes = Math.max(peakOnChipBytes, other.peakOnChipBytes);
    taskNanos += other.taskNanos;
    driverMergeNanos += other.driverMergeNanos;
    if (TaskContext.get() == null) {
      driverMergeNanos += System.nanoTime() - start;
    }
    return this;
  }

  /**
   * The mean gradient over what the summed sequences scored, in float: zero where they scored
   * nothing (no labelled step), as the single-JVM trainer's loss of such a batch is.
   */
  public float[] meanGradient() {
    if (sequences == 0) {
      throw new IllegalStateException("mean gradient: expected at least one sequence, got none");
    }
    float[] out = new float[gradient.length];
    for (int i = 0; scored > 0 && i < out.length; i++) {
      out[i] = (float) (gradient[i] / scored);
    }
    return out;
  }

  /** The summed gradient, rounded to float. */
  public float[] sumGradient() {
    float[] out = new float[gradient.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) gradient[i];
    }
    return out;
  }

  /** The mean loss over what was scored; NaN without sequences, 0 where none was scored. */
  public double meanLoss() {
    return sequences == 0 ? Double.NaN : scored == 0 ? 0 : loss / scored;
  }

  /** The right predictions among what was scored; as {@link #meanLoss} without any. */
  public double accuracy() {
    return sequences == 0 ? Double.NaN : scored == 0 ? 0 : (double) correct / scored;
  }

  public long sequences() {
    return sequences;
  }

  public long forwardSteps() {
    return forwardSteps;
  }

  public long recomputedSteps() {
    return recomputedSteps;
  }

  public long bytesWritten() {
    return bytesWritten;
  }

  public long ioBlockedNanos() {
    return ioBlockedNanos;
  }

  /** The most bytes of tape and checkpoints one gradient computation held, over all tasks. */
  public long peakOnChipBytes() {
    return peakOnChipBytes;
  }

  public long taskNanos() {
    return taskNanos;
  }

  public long driverMergeNanos() {
    return driverMergeNanos;
  }
}
