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
}
