package dev.rewind.spark.internal.train;

import dev.rewind.spark.internal.data.Chunk;
import dev.rewind.trainer.model.ParameterLayout;
import dev.rewind.trainer.optim.GradientClipping;
import dev.rewind.trainer.optim.Optimizer;
import dev.rewind.trainer.training.EpochResult;
import dev.rewind.trainer.training.GradientOverflow;
import dev.rewind.trainer.training.StepMetrics;
import dev.rewind.trainer.training.TrainingConfig;
import dev.rewind.trainer.training.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's training loop: per step, the task slots' gradient sums ({@link EpochSteps}: several
 * steps per Spark job through a {@link StepExchange}, or one {@link DistributedStep} per step),
 * then the optimizer update on the driver. Each epoch's jobs run in its own Spark job group with a
 * description naming their steps, so the Spark UI shows where a fit is. Training state is saved
 * every {@code checkpointInterval} steps when a checkpoint path is set, and a fit started with a
 * saved state resumes from it and ends with the same parameters as one never stopped.
 */
public final class DistributedTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(DistributedTrainer.class);
  private final TrainingOptions options;
  private final String run;

  /**
   * @param run names this fit in job groups and off-chip keys ([A-Za-z0-9_.-])
   */
  public DistributedTrainer(TrainingOptions options, String run) {
    this.options = options;
    this.run = run;
  }

  /** Scores parameters on held-out data after an epoch. */
  public interface EpochScorer {
    /** No held-out data: epochs report NaN test loss and accuracy. */
    EpochScorer NONE = parameters -> new double[] {Double.NaN, Double.NaN};

    /** Mean loss and accuracy of {@code parameters} on the held-out data. */
    double[] score(float[] parameters);
  }

  /**
   * Trains on {@code data} for every epoch of the options, scoring {@code scorer}'s data after each
   * epoch; returns the final parameters, every step's metrics and one result per epoch run.
   */
  public TrainingResult fit(
      TrainingData data, SparkContext sc, TrainingListener listener, EpochScorer scorer) {
    TrainingConfig training = options.training();
    Parallelism parallelism = BudgetCheck.resolve(data, options, training.truncation());
    BudgetCheck.require(data, options.withParallelism(parallelism), training.truncation());
    float[] params = options.model().initialParameters().data();
    ParameterLayout layout = new ParameterLayout(options.model().network());
    int stepsPerEpoch = (int) training.stepsPerEpoch(data.table().size());
    Optimizer optimizer =
        training.optimizer().create(params.length, training.schedule(stepsPerEpoch));
    float[] factors = training.rateFactors(layout);
    if (factors != null) {
      optimizer.scaleRates(factors);
    }
    Optional<GradientClipping> clipping = training.clipping();
    TrainingStateStore states = stateStore(sc);
    int firstEpoch = 0;
    int firstStep = 0;
    long globalStep = 0;
    List<StepMetrics> history = new ArrayList<>();
    List<EpochResult> epochs = new ArrayList<>();
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
        history.addAll(s.history());
        epochs.addAll(s.epochs());
      }
    }
    TaskSetup setup =
        TaskSetup.of(
            options.model().network(),
            options.schedule(),
            options.offChip(),
            run,
            options.taskBatchSize(),
            training.truncation());
    EpochSteps steps =
        parallelism.bySegments()
            ? new SegmentEpochs(data, setup, parallelism, training.batchSize(), options.tasks())
            : dataEpochs(data, setup, sc, scorer);
    try {
      for (int epoch = firstEpoch; epoch < training.epochs(); epoch++) {
        long epochStart = System.nanoTime();
        EpochPlan plan =
            EpochPlan.create(
                data.table(), options.model().seed(), epoch, training.batchSize(), options.tasks());
        sc.setJobGroup(
            run + "-epoch-" + epoch,
            "Rewind " + run + ": epoch " + (epoch + 1) + "/" + training.epochs() + ", layout",
            false);
        steps.layOut(plan);
        for (int s = epoch == firstEpoch ? firstStep : 0; s < plan.steps(); s++) {
          int more = steps.lastOfJob(s) - s;
          sc.setJobGroup(
              run + "-epoch-" + epoch,
              String.format(
                  "Rewind %s: epoch %d/%d, %s %s/%d (global %s)%s",
                  run,
                  epoch + 1,
                  training.epochs(),
                  more == 0 ? "step" : "steps",
                  range(s + 1, more),
                  plan.steps(),
                  range(globalStep + 1, more),
                  steps.scoresInJob(s + more) ? ", validation" : ""),
              false);
          long start = System.nanoTime();
          GradientSum sum = steps.run(s, params);
          long driverStart = System.nanoTime();
          float[] gradient = sum.meanGradient();
          GradientOverflow.check(layout, gradient, epoch + 1, s + 1, sum.meanLoss());
          double norm =
              clipping.isPresent()
                  ? clipping.get().clip(gradient)
                  : GradientClipping.norm(gradient);
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
                  norm,
                  sum.bytesWritten(),
                  sum.forwardSteps() == 0 ? 0 : (double) sum.recomputedSteps() / sum.forwardSteps(),
                  sum.ioBlockedNanos() / 1e6,
                  sum.peakOnChipBytes(),
                  (end - start) / 1e6,
                  (end - driverStart + sum.driverMergeNanos()) / 1e6);
          history.add(m);
          boolean lastOfEpoch = s + 1 == plan.steps();
          if (states != null && !lastOfEpoch && globalStep % options.checkpointInterval() == 0) {
            save(
                states,
                new TrainingState(
                    options.fingerprint(),
                    epoch,
                    s + 1,
                    globalStep,
                    params.clone(),
                    optimizer.exportState(),
                    history,
                    epochs));
          }
          listener.onStep(m);
        }
        sc.setJobGroup(
            run + "-epoch-" + epoch,
            "Rewind " + run + ": epoch " + (epoch + 1) + "/" + training.epochs() + ", validation",
            false);
        double[] test = steps.endEpoch(params.clone(), scorer);
        EpochResult r = epochResult(epoch, history, test, (System.nanoTime() - epochStart) / 1e9);
        epochs.add(r);
        if (states != null) {
          // The epoch's end, its result included: a resume starts the next epoch.
          save(
              states,
              new TrainingState(
                  options.fingerprint(),
                  epoch + 1,
                  0,
                  globalStep,
                  params.clone(),
                  optimizer.exportState(),
                  history,
                  epochs));
        }
        listener.onEpoch(r);
      }
      listener.onFinish();
    } finally {
      steps.release();
      sc.clearJobGroup();
    }
    return new TrainingResult(params, history, epochs, parallelism);
  }

  /** {@code first}, or {@code first-last} when the job runs {@code more} steps after it. */
  private static String range(long first, int more) {
    return more == 0 ? Long.toString(first) : first + "-" + (first + more);
  }

  /**
   * Data parallelism in multi-step jobs unless the options ask for a job per step, or the cluster
   * cannot run every task slot at once (its tasks would wait for each other forever).
   */
  private EpochSteps dataEpochs(
      TrainingData data, TaskSetup setup, SparkContext sc, EpochScorer scorer) {
    if (options.stepsPerJob() != 1) {
      int concurrent =
          sc.maxNumConcurrentTasks(sc.resourceProfileManager().defaultResourceProfile());
      if (concurrent >= options.tasks()) {
        HeldOutScorer heldOut = scorer instanceof HeldOutScorer h ? h : null;
        return new MultiStepEpochs(data, setup, options.tasks(), options.stepsPerJob(), heldOut);
      }
      LOG.warn(
          "numTasks="
              + options.tasks()
              + " is more than the "
              + concurrent
              + " tasks this cluster runs at once: one Spark job per step instead of "
              + (options.stepsPerJob() == 0 ? "one per epoch" : options.stepsPerJob() + " steps"));
    }
    return new DataEpochs(data, new DistributedStep(setup));
  }

  /** Data parallelism, one job per step: each task slot sums the gradients of its sequences. */
  private static final class DataEpochs implements EpochSteps {
    private final TrainingData data;
    private final DistributedStep step;
    private JavaPairRDD<ChunkKey, Chunk> laidOut;

    DataEpochs(TrainingData data, DistributedStep step) {
      this.data = data;
      this.step = step;
    }

    @Override
    public void layOut(EpochPlan plan) {
      laidOut = data.layOut(plan, true);
    }

    @Override
    public GradientSum run(int s, float[] parameters) {
      return step.run(laidOut, s, parameters);
    }

    @Override
    public void release() {}
  }

  /** Segment parallelism: each partition is segment k of every sequence. */
  private static final class SegmentEpochs implements EpochSteps {
    private final TrainingData data;
    private final TaskSetup setup;
    private final String run;
    private final SegmentStep step;
    private final Parallelism parallelism;
    private final int batchSize;
    private final Map<Long, int[]> chunkSteps;
    private Broadcast<SegmentPlan> plan;
    private JavaPairRDD<SegmentKey, Chunk> laidOut;

    SegmentEpochs(
        TrainingData data, TaskSetup setup, Parallelism parallelism, int batchSize, int slots) {
      this.data = data;
      this.setup = setup;
      this.run = setup.run();
      this.step = new SegmentStep(setup, slots);
      this.parallelism = parallelism;
      this.batchSize = batchSize;
      this.chunkSteps = data.chunkSteps();
    }

    @Override
    public void layOut(EpochPlan epoch) {
      destroyPlan();
      SegmentPlan segments = SegmentPlan.create(epoch, chunkSteps, parallelism, batchSize);
      plan = JavaSparkContext.fromSparkContext(data.context()).broadcast(segments);
      laidOut = data.layOutSegments(plan, step.homes());
    }

    @Override
    public GradientSum run(int s, float[] parameters) {
      return step.run(laidOut, plan, s, parameters);
    }

    /**
     * Frees what the executors kept paused for this run, then the checkpoint copies lost executors
     * left, then the plan's broadcast.
     */
    @Override
    public void release() {
      try {
        if (laidOut != null) {
          SegmentStep.releaseKept(laidOut, run);
        }
        SegmentStep.deleteCopies(JavaSparkContext.fromSparkContext(data.context()), setup);
      } finally {
        destroyPlan();
      }
    }

    private void destroyPlan() {
      if (plan != null) {
        plan.destroy();
        plan = null;
      }
    }
  }

  /**
   * Epoch {@code epoch}'s result from the metrics of its steps in {@code history}, those run before
   * a resume included; the seconds are this fit's share of the epoch.
   */
  private static EpochResult epochResult(
      int epoch, List<StepMetrics> history, double[] test, double seconds) {
    double loss = 0;
    double accuracy = 0;
    double norm = 0;
    long sequences = 0;
    int steps = 0;
    for (StepMetrics m : history) {
      if (m.epoch() == epoch) {
        loss += m.loss() * m.sequences();
        accuracy += m.accuracy() * m.sequences();
        norm += m.gradientNorm();
        sequences += m.sequences();
        steps++;
      }
    }
    return new EpochResult(
        epoch + 1,
        sequences == 0 ? Double.NaN : loss / sequences,
        sequences == 0 ? Double.NaN : accuracy / sequences,
        test[0],
        test[1],
        steps == 0 ? Double.NaN : norm / steps,
        seconds);
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

  /**
   * Final parameters, the metrics of the steps this fit ran, one result per epoch it ran, and the
   * parallelism it ran with ({@code auto} resolved).
   */
  public record TrainingResult(
      float[] parameters,
      List<StepMetrics> history,
      List<EpochResult> epochs,
      Parallelism parallelism) {}
}
