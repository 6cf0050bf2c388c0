package dev.rewind.trainer.petra;

import dev.rewind.trainer.internal.calibration.SystemCalibrator;
import dev.rewind.trainer.internal.runner.ExecutorSettings;
import dev.rewind.trainer.internal.runner.ScheduleRunner;
import dev.rewind.trainer.schedule.CostModel;
import dev.rewind.trainer.schedule.Schedule;
import java.io.IOException;
import java.util.Arrays;

/**
 * One stage's runner of {@link InStageSchedule}: plans the schedule for a sequence length (once per
 * length, with the given cost model or one measured on the first map it serves) and starts the
 * scheduled forward passes of F and G. Confined to the stage's thread; {@link #close()} stops its
 * I/O thread.
 */
final class MapScheduler implements AutoCloseable {
  private static final int CALIBRATION_STEPS = 32;

  private final InStageSchedule settings;
  private final ScheduleRunner runner;
  private CostModel cost;
  private int plannedSteps;
  private Schedule planned;

  MapScheduler(InStageSchedule settings) {
    this.settings = settings;
    this.runner = new ScheduleRunner(settings.offchip(), ExecutorSettings.DEFAULT);
    this.cost = settings.cost().orElse(null);
  }

  /**
   * Runs {@code map}'s forward on {@code x} under the planned schedule, paused for its backward.
   */
  ScheduledRecord forward(SpikingSequenceMap map, float[] p, int off, SequenceTensor x)
      throws IOException {
    return map.forward(p, off, x, plan(map, p, off, x), runner);
  }

  private Schedule plan(SpikingSequenceMap map, float[] p, int off, SequenceTensor x)
      throws IOException {
    if (cost == null) {
      cost = calibrate(map, p, off, x);
    }
    if (planned == null || plannedSteps != x.steps()) {
      planned = settings.schedule().plan(x.steps(), cost, settings.budget());
      plannedSteps = x.steps();
    }
    return planned;
  }

  /** Measures on the first steps of {@code x}, into scratch gradients. */
  private CostModel calibrate(SpikingSequenceMap map, float[] p, int off, SequenceTensor x)
      throws IOException {
    int n = Math.min(CALIBRATION_STEPS, x.steps());
    float[] head = Arrays.copyOf(x.data(), n * x.batch() * x.width());
    SequenceTensor burst = new SequenceTensor(n, x.batch(), x.width(), head);
    MapSteps system = new MapSteps(map, p, off, burst);
    system.beginBackward(
        SequenceTensor.zeros(n, x.batch(), map.outputWidth()), new float[map.parameterCount()], 0);
    return SystemCalibrator.measure(system, settings.offchip());
  }

  @Override
  public void close() {
    runner.close();
  }
}
