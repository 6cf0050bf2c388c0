package dev.rewind.examples.cli;

import java.util.List;

/** What the schedule a run used measured, for {@code schedule-used.csv} and the report page. */
interface MeasuredSchedule {
  /** The description of the schedule used, e.g. {@code periodic(k=28)}. */
  String schedule();

  /** What one predicted time is for, e.g. "training step" or "sequence". */
  String predictedPer();

  /** A sentence saying what the figures are per and where they were measured. */
  String scope();

  /** The measured figures as name/value rows, without a header. */
  List<List<Object>> figures();

  /**
   * Recomputed steps as a share of all forward steps (what the console prints), from recomputed
   * steps per step of the first sweep ({@code recomputed_steps_per_sequence_step}).
   */
  static double shareOfForward(double perStep) {
    return perStep / (1 + perStep);
  }
}
