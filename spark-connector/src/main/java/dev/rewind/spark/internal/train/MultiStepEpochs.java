package dev.rewind.spark.internal.train;

import dev.rewind.spark.internal.data.Chunk;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStatusTracker;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.StageInfo;
import scala.Option;

/**
 * Data parallelism with several optimizer steps per Spark job: each task stays for {@code
 * stepsPerJob} steps (0: the rest of the epoch) and trades gradient sums and parameters with the
 * driver through a {@link StepExchange} instead of one job, broadcast and aggregation per step. A
 * job costs Spark tens of milliseconds to schedule, which on a small model is as much as the step's
 * compute. The steps and their parameters are those of one job per step, bit for bit. The job that
 * ends an epoch also scores the held-out set at the epoch's final parameters, as its tasks' last
 * request, when that set is laid out over the same slots: the score of a job of its own, without
 * the job.
 */
final class MultiStepEpochs implements EpochSteps {
  private static final AtomicLong JOBS = new AtomicLong();
  private final TrainingData data;
  private final TaskSetup setup;
  private final int stepsPerJob;
  private final StepExchange exchange;
  private final HeldOutScorer heldOut;
  private JavaPairRDD<ChunkKey, Chunk> laidOut;
  private int steps;
  private volatile JavaFutureAction<List<Void>> job;
  private int lastOfJob;

  /**
   * @param stepsPerJob the most steps one job runs, >= 2, or 0 for the rest of the epoch
   * @param heldOut the held-out set to score at the end of each epoch; null for none
   */
  MultiStepEpochs(
      TrainingData data, TaskSetup setup, int slots, int stepsPerJob, HeldOutScorer heldOut) {
    this.data = data;
    this.setup = setup;
    this.stepsPerJob = stepsPerJob;
    this.heldOut =
        heldOut != null && heldOut.laidOut().getNumPartitions() == slots ? heldOut : null;
    this.exchange =
        new StepExchange("rewind-steps-" + setup.run() + "-" + JOBS.incrementAndGet(), slots);
    data.context().addSparkListener(stageFailures);
  }

  /** Tells the exchange when Spark gives up an attempt of the running job's stage. */
  private final SparkListener stageFailures =
      new SparkListener() {
        @Override
        public void onStageCompleted(SparkListenerStageCompleted completed) {
          StageInfo stage = completed.stageInfo();
          if (stage.failureReason().isDefined() && ofRunningJob(stage.stageId())) {
            exchange.supersede(stage.attemptNumber() + 1);
          }
        }
      };

  private boolean ofRunningJob(int stageId) {
    JavaFutureAction<List<Void>> running = job;
    if (running == null) {
      return false;
    }
    SparkStatusTracker status = data.context().statusTracker();
    for (int id : running.jobIds()) {
      Option<SparkJobInfo> info = status.getJobInfo(id);
      if (info.isDefined()) {
        for (int s : info.get().stageIds()) {
          if (s == stageId) {
            return true;
          }
        }
      }
    }
    return false;
  }

  @Override
  public void layOut(EpochPlan plan) {
    laidOut = data.layOut(plan, stepsPerJob != 0);
    steps = plan.steps();
  }

  @Override
  public GradientSum run(int step, float[] parameters) {
    if (job != null && step > lastOfJob) {
      finishJob();
    }
    if (job == null) {
      long id = JOBS.incrementAndGet();
      lastOfJob = lastOfJob(step);
      exchange.open(id, step, parameters);
      if (scoresInJob(lastOfJob)) {
        StepsTask task = new StepsTask(setup, exchange.name(), id, heldOut.passes());
        job = laidOut.zipPartitions(heldOut.laidOut(), task).collectAsync();
      } else {
        StepsTask task = new StepsTask(setup, exchange.name(), id, null);
        job =
            laidOut
                .mapPartitions(rows -> task.call(rows, Collections.emptyIterator()))
                .collectAsync();
      }
    } else {
      exchange.release(step, parameters);
    }
    return exchange.await(step, job);
  }

  @Override
  public int lastOfJob(int step) {
    if (job != null && step <= lastOfJob) {
      return lastOfJob;
    }
    return stepsPerJob == 0 ? steps - 1 : Math.min(steps, step + stepsPerJob) - 1;
  }

  @Override
  public boolean scoresInJob(int lastStep) {
    return heldOut != null && lastStep == steps - 1;
  }

  @Override
  public double[] endEpoch(float[] parameters, DistributedTrainer.EpochScorer scorer) {
    if (job == null) {
      return scorer.score(parameters);
    }
    if (!scoresInJob(lastOfJob)) {
      finishJob();
      return scorer.score(parameters);
    }
    // The score is the step after the epoch's last: retried tasks and late copies are handled as
    // for any step.
    exchange.score(steps, parameters);
    GradientSum score = exchange.await(steps, job);
    finishJob();
    return HeldOutScorer.mean(score);
  }

  private void finishJob() {
    exchange.finish();
    JavaFutureAction<List<Void>> done = job;
    job = null;
    JobFailures.rethrow(done);
  }

  @Override
  public void release() {
    try {
      if (job != null) {
        exchange.abort(new IllegalStateException("the fit stopped before this step"));
        job.cancel(true);
        job = null;
      }
    } finally {
      data.context().removeSparkListener(stageFailures);
      exchange.close();
    }
  }
}
