package dev.rewind.spark.train;

import dev.rewind.spark.data.Chunk;
import dev.rewind.spark.metrics.StepMetrics;
import dev.rewind.spark.metrics.TrainingListener;
import dev.rewind.trainer.model.InitScheme;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.optim.GradientClipping;
import dev.rewind.trainer.optim.LearningRateSchedule;
import dev.rewind.trainer.optim.Optimizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaPairRDD;

/**
 * The driver's training loop: per step, one {@link DistributedStep} (broadcast, per-task gradient
 * sums, treeAggregate), then the optimizer update on the driver. Each epoch and step runs in its
 * own Spark job group with a description, so the Spark UI shows where a fit is. Training state is
 * saved every {@code checkpointInterval} steps when a checkpoint path is set, and a fit started
 * with a saved state resumes from it and ends with the same parameters as one never stopped.
 */
public final class DistributedTrainer {
  private final TrainingOptions options;
  private final String run;

  /**
   * @param run names this fit in job groups and off-chip keys ([A-Za-z0-9_.-])
   */
  public DistributedTrainer(TrainingOptions options, String run) {
    this.options = options;
    this.run = run;
  }

  /** Trains on {@code data}; returns the final parameters and every step's metrics. */
  public TrainingResult fit(TrainingData data, SparkContext sc, TrainingListener listener) {
    Parameters init = Parameters.initialise(options.model(), options.seed(), InitScheme.DEFAULT);
    float[] params = init.data();
    Optimizer optimizer =
        options.optimizer().create(params.length, LearningRateSchedule.constant());
    Optional<GradientClipping> clipping =
        options.clipNorm() > 0
            ? Optional.of(new GradientClipping(options.clipNorm()))
            : Optional.empty();
    TrainingStateStore states = stateStore(sc);
    int firstEpoch = 0;
    int firstStep = 0;
    long globalStep = 0;
    if (states != null) {
      Optional<TrainingState> saved = load(states);
      if (saved.isPresent()) {
        TrainingState s = saved.get();
        if (!s.fingerprint().equals(options.fingerprint())) {
          throw new IllegalStateException(
              "training state in "
                  + options.checkpointPath()
                  + ": expected one saved with these settings ("
                  + options.fingerprint()
                  + "), got "
                  + s.fingerprint());
        }
        params = s.parameters().clone();
        optimizer.importState(s.optimizer());
        firstEpoch = s.epoch();
        firstStep = s.stepInEpoch();
        globalStep = s.globalStep();
      }
    }
    DistributedStep step =
        new DistributedStep(
            TaskSetup.of(
                options.model(),
                options.schedule(),
                options.offChipLocation(),
                run,
                options.taskBatchSize()));
    List<StepMetrics> history = new ArrayList<>();
    try {
      for (int epoch = firstEpoch; epoch < options.epochs(); epoch++) {
        EpochPlan plan =
            EpochPlan.create(
                data.table(), options.seed(), epoch, options.batchSize(), options.tasks());
        sc.setJobGroup(
            run + "-epoch-" + epoch,
            "Rewind " + run + ": epoch " + (epoch + 1) + "/" + options.epochs() + ", layout",
            false);
        JavaPairRDD<ChunkKey, Chunk> laidOut = data.layOut(plan);
        for (int s = epoch == firstEpoch ? firstStep : 0; s < plan.steps(); s++) {
          sc.setJobGroup(
              run + "-epoch-" + epoch,
              String.format(
                  "Rewind %s: epoch %d/%d, step %d/%d (global %d)",
                  run, epoch + 1, options.epochs(), s + 1, plan.steps(), globalStep + 1),
              false);
          long start = System.nanoTime();
          GradientSum sum = step.run(laidOut, s, params);
          long driverStart = System.nanoTime();
          float[] gradient = sum.meanGradient();
          clipping.ifPresent(c -> c.clip(gradient));
          optimizer.step(params, gradient);
          long end = System.nanoTime();
          globalStep++;
          StepMetrics m =
              new StepMetrics(
                  epoch,
                  s,
                  globalStep,
                  sum.sequences(),
                  sum.meanLoss(),
                  sum.accuracy(),
                  sum.bytesWritten(),
                  sum.forwardSteps() == 0 ? 0 : (double) sum.recomputedSteps() / sum.forwardSteps(),
                  sum.ioBlockedNanos() / 1e6,
                  (end - start) / 1e6,
                  (end - driverStart + sum.driverMergeNanos()) / 1e6);
          history.add(m);
          boolean lastOfEpoch = s + 1 == plan.steps();
          if (states != null && globalStep % options.checkpointInterval() == 0) {
            save(
                states,
                new TrainingState(
                    options.fingerprint(),
                    lastOfEpoch ? epoch + 1 : epoch,
                    lastOfEpoch ? 0 : s + 1,
                    globalStep,
                    params.clone(),
                    optimizer.exportState()));
          }
          listener.onStep(m);
        }
      }
      listener.onFinish();
    } finally {
      sc.clearJobGroup();
    }
    return new TrainingResult(params, history);
  }

  private TrainingStateStore stateStore(SparkContext sc) {
    if (options.checkpointPath().isEmpty()) {
      return null;
    }
    try {
      return new TrainingStateStore(options.checkpointPath(), sc.hadoopConfiguration());
    } catch (IOException e) {
      throw new UncheckedIOException("training state " + options.checkpointPath(), e);
    }
  }

  private Optional<TrainingState> load(TrainingStateStore states) {
    try {
      return states.latest();
    } catch (IOException e) {
      throw new UncheckedIOException("training state " + options.checkpointPath(), e);
    }
  }

  private void save(TrainingStateStore states, TrainingState state) {
    try {
      states.save(state);
    } catch (IOException e) {
      throw new UncheckedIOException("training state " + options.checkpointPath(), e);
    }
  }

  /** Final parameters and the metrics of the steps this fit ran. */
  public record TrainingResult(float[] parameters, List<StepMetrics> history) {}
}
