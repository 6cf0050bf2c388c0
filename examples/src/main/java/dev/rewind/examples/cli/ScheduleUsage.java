package dev.rewind.examples.cli;

import dev.rewind.trainer.schedule.RunMetrics;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.Locale;

/**
 * What the schedule used in a run cost, summed (times, recomputation, off-chip bytes) or maximised
 * (peak bytes) over the {@link RunMetrics} of every training step of a single-JVM run. Not
 * thread-safe.
 */
final class ScheduleUsage implements MeasuredSchedule {
  private String schedule = "none yet";
  private long runs;
  private long steps;
  private long recomputed;
  private long offchipBytes;
  private long blockedNanos;
  private double measuredSeconds;
  private long peakTapeBytes;
  private long peakCheckpointBytes;

  void add(RunMetrics m) {
    schedule = m.schedule();
    runs++;
    steps += m.steps();
    recomputed += m.recomputedSteps();
    offchipBytes += m.slowBytesWritten() + m.inputBytesWritten();
    blockedNanos += m.blockedIoNanos();
    measuredSeconds += m.measuredSeconds();
    peakTapeBytes = Math.max(peakTapeBytes, m.peakTapeBytes());
    peakCheckpointBytes = Math.max(peakCheckpointBytes, m.peakCheckpointBytes());
  }

  /** The description of the schedule of the last training step, "none yet" before the first. */
  @Override
  public String schedule() {
    return schedule;
  }

  /** Training steps (batches) run. */
  long runs() {
    return runs;
  }

  /** Mean wall time of one training step's gradient. */
  double secondsPerRun() {
    return runs == 0 ? 0 : measuredSeconds / runs;
  }

  /** Forward steps run beyond the first sweep, as a fraction of the first sweeps' steps. */
  double recomputedFraction() {
    return steps == 0 ? 0 : (double) recomputed / steps;
  }

  /** Checkpoint and spooled-input bytes written to the off-chip store. */
  long offchipBytes() {
    return offchipBytes;
  }

  double blockedSeconds() {
    return blockedNanos / 1e9;
  }

  /** Most bytes of tape plus most bytes of saved states, each over all steps (an upper bound). */
  long peakBytes() {
    return peakTapeBytes + peakCheckpointBytes;
  }

  @Override
  public String predictedPer() {
    return "training step";
  }

  @Override
  public String scope() {
    return "Single JVM: predicted and measured figures are per training step (one batch);"
        + " byte and I/O figures are summed over the run's training steps.";
  }

  /** The figures, with the JVM's peak heap use as it is when called. */
  @Override
  public List<List<Object>> figures() {
    double recomputed = recomputedFraction();
    return List.of(
        List.of("training_steps", runs()),
        List.of("measured_seconds_per_step", secondsPerRun()),
        List.of("recomputed_steps_per_sequence_step", recomputed),
        List.of("recomputed_share_of_forward_steps", MeasuredSchedule.shareOfForward(recomputed)),
        List.of("offchip_bytes_written", offchipBytes()),
        List.of("blocked_io_seconds", blockedSeconds()),
        List.of("peak_schedule_bytes", peakBytes()),
        List.of("peak_heap_bytes", peakHeapBytes()));
  }

  /** The JVM's peak heap use so far: the sum of its heap pools' peaks (an upper bound). */
  static long peakHeapBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  String summary() {
    return String.format(
        Locale.ROOT,
        "schedule %s: %d training steps, recomputed %.1f%% of forward steps, %.1f MB written"
            + " off-chip, %.2f s blocked on I/O",
        schedule,
        runs,
        100 * recomputedFraction(),
        offchipBytes / 1e6,
        blockedSeconds());
  }
}
