package dev.rewind.spark.internal.train;

import dev.rewind.spark.internal.data.Chunk;
import dev.rewind.trainer.bptt.NetworkState;
import dev.rewind.trainer.bptt.StateAdjoint;
import dev.rewind.trainer.bptt.StepLossSums;
import dev.rewind.trainer.checkpoint.CopiedCheckpoints;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.PartitionPruningRDD;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * One segment-parallel step: a forward wave of jobs, then a backward wave, over the step's M
 * micro-batches and S segments, pipelined. Job j of the forward wave runs segment k of micro-batch
 * j - k, for every k that has one, each task handed the state its segment starts from and returning
 * the state it ends with; it keeps its segment paused on its executor, checkpoints included, where
 * that pays within its share of the memory budget ({@link SegmentTask}). Job j of the backward wave
 * runs segment S - 1 - (j - m) of micro-batch m, each task handed its initial state, the adjoint of
 * its end state and the gradient of the segments after it, and returning the adjoint of its initial
 * state and the gradient with its own added: it finishes what its forward kept, or recomputes from
 * the initial state. So M + S - 1 jobs a wave, each executor idle (S - 1) / (M + S - 1) of it. The
 * driver keeps every boundary state and adjoint (B x state size each); everything moves through
 * broadcasts and task results, so a failed or lost task runs again from them, as Spark retries any
 * task. A micro-batch's gradient is carried from its last segment to its first, so it equals the
 * gradient of the whole sequences bit for bit; the micro-batches are summed in order.
 */
public final class SegmentStep {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentStep.class);

  /** What a segment-parallel step ships besides chunks and keys (for Kryo's registration). */
  public static final List<Class<?>> SERIALIZED =
      List.of(
          SegmentPlan.class,
          SegmentWork.Input.class,
          SegmentWork.Input[].class,
          SegmentWork.Output.class,
          NetworkState.class,
          StateAdjoint.class,
          StepLossSums.class,
          CopiedCheckpoints.class,
          CopiedCheckpoints.Name.class);

  private final TaskSetup setup;
  private final int slots;
  private String[] homes = new String[0];

  /**
   * @param slots the task slots of the cluster, which spread the S segment partitions over the
   *     executors: how many paused segments one executor keeps in a wave follows from it
   */
  public SegmentStep(TaskSetup setup, int slots) {
    if (slots < 1) {
      throw new IllegalArgumentException("segment step: expected >= 1 task slots, got " + slots);
    }
    this.setup = setup;
    this.slots = slots;
  }

  /**
   * Per segment, the executor (a task location) that last ran one of its tasks, or null: where the
   * next epoch's layout puts it, so that a segment stays on its executor for the whole fit.
   */
  public String[] homes() {
    return homes.clone();
  }

  /** The summed gradient of step {@code step} of {@code layout} at {@code parameters}. */
  public GradientSum run(
      JavaPairRDD<SegmentKey, Chunk> layout,
      Broadcast<SegmentPlan> plan,
      int step,
      float[] parameters) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(layout.context());
    SegmentPlan p = plan.value();
    int segments = p.segments();
    int micro = p.microBatches(step);
    NetworkState[][] states = new NetworkState[segments][micro];
    // what the forward tasks copied to a Hadoop URI, for a backward whose executor lost them
    CopiedCheckpoints[][] copies = new CopiedCheckpoints[segments][micro];
    boolean perStep = setup.model().loss().perStep();
    // per micro-batch under a per-step head: its labelled steps, over all its segments
    int[] labelled = new int[micro];
    // per micro-batch: forward steps, recomputed steps, blocked nanos, peak on-chip bytes
    long[][] cost = new long[micro][4];
    long bytesWritten = 0;
    // A forward wave keeps every micro-batch of the segments an executor holds until the backward.
    int sharing = sharing(sc.sc(), slots, segments, micro);
    Broadcast<float[]> params = sc.broadcast(parameters);
    try {
      for (int j = 0; j < micro + segments - 1; j++) {
        SegmentWork.Input[] in = new SegmentWork.Input[segments];
        for (int k = Math.max(0, j - micro + 1); k <= Math.min(segments - 1, j); k++) {
          int m = j - k;
          in[k] = new SegmentWork.Input(k, m, states[k][m], null, null, null, sharing, null);
        }
        for (SegmentWork.Output out :
            wave(
                sc, layout, plan, step, params, in, describe("forward", j, micro + segments - 1))) {
          int m = out.microBatch();
          if (out.segment() < segments - 1) {
            states[out.segment() + 1][m] = out.finalState();
          }
          copies[out.segment()][m] = out.copies();
          labelled[m] += out.scored();
          cost[m][0] += out.forwardSteps();
          cost[m][1] += out.recomputedSteps();
          cost[m][3] = Math.max(cost[m][3], out.peakOnChipBytes());
        }
      }
      StateAdjoint[] adjoints = new StateAdjoint[micro];
      float[][] gradients = new float[micro][];
      SegmentWork.Output[] last = new SegmentWork.Output[micro];
      SegmentWork.Output[] first = new SegmentWork.Output[micro];
      StepLossSums[] sums = new StepLossSums[micro];
      for (int m = 0; perStep && m < micro; m++) {
        sums[m] = StepLossSums.start(labelled[m]);
      }
      for (int j = 0; j < micro + segments - 1; j++) {
        SegmentWork.Input[] in = new SegmentWork.Input[segments];
        for (int m = Math.max(0, j - segments + 1); m <= Math.min(micro - 1, j); m++) {
          int k = segments - 1 - (j - m);
          in[k] =
              new SegmentWork.Input(
                  k, m, states[k][m], adjoints[m], gradients[m], sums[m], sharing, copies[k][m]);
        }
        for (SegmentWork.Output out :
            wave(
                sc,
                layout,
                plan,
                step,
                params,
                in,
                describe("backward", j, micro + segments - 1))) {
          int m = out.microBatch();
          adjoints[m] = out.initialAdjoint();
          gradients[m] = out.gradient();
          sums[m] = out.stepLoss();
          if (out.segment() == segments - 1) {
            last[m] = out;
          }
          if (out.segment() == 0) {
            first[m] = out;
          }
          cost[m][0] += out.forwardSteps();
          cost[m][1] += out.recomputedSteps();
          cost[m][2] += out.blockedIoNanos();
          cost[m][3] = Math.max(cost[m][3], out.peakOnChipBytes());
          bytesWritten += out.bytesWritten();
        }
      }
      GradientSum sum = new GradientSum(parameters.length);
      for (int m = 0; m < micro; m++) {
        int size = p.members()[step][m].length;
        // A sequence head's loss comes from the last segment; a per-step head's, summed from the
        // last segment to the first, from the first.
        SegmentWork.Output scoring = perStep ? first[m] : last[m];
        float[] g = SequenceResult.sumOfMean(first[m].gradient(), scoring.scored());
        sum.add(
            new SequenceResult(
                scoring.lossSum(),
                scoring.correct(),
                scoring.scored(),
                g,
                cost[m][0],
                cost[m][1],
                cost[m][2],
                cost[m][3]),
            size);
      }
      sum.addTaskCost(bytesWritten, 0, 0);
      return sum;
    } finally {
      try {
        deleteCopies(sc, params.id());
      } finally {
        params.destroy();
      }
    }
  }

  /**
   * Deletes the copies of checkpoints the step's forward tasks left on a Hadoop URI that no
   * executor deleted: those of executors lost in the step. A failure is logged, not thrown, so that
   * it never hides the step's own; the fit's end deletes the run's folder again.
   */
  private void deleteCopies(JavaSparkContext sc, long step) {
    if (!CheckpointBundles.copies(setup.offChip())) {
      return;
    }
    try {
      CheckpointBundles.deleteStep(setup.offChip(), sc.hadoopConfiguration(), setup.run(), step);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Rewind {}: deleting the checkpoint copies of a step failed", setup.run(), e);
    }
  }

  /**
   * Deletes every checkpoint copy {@code run} left on a Hadoop URI, on the driver when a fit ends;
   * a failure is logged, not thrown.
   */
  static void deleteCopies(JavaSparkContext sc, TaskSetup setup) {
    if (!CheckpointBundles.copies(setup.offChip())) {
      return;
    }
    try {
      CheckpointBundles.deleteRun(setup.offChip(), sc.hadoopConfiguration(), setup.run());
    } catch (IOException | RuntimeException e) {
      LOG.warn("Rewind {}: deleting the run's checkpoint copies failed", setup.run(), e);
    }
  }

  /** A wave's job as the Spark UI shows it, after the step: {@code forward wave, job 2/3}. */
  private static String describe(String wave, int job, int jobs) {
    return wave + " wave, job " + (job + 1) + "/" + jobs;
  }

  /**
   * How many segments one executor keeps paused at once, each planning within that share of the
   * memory budget: every micro-batch of the segments it holds. The segments spread over the
   * executor JVMs: one in local mode, else the registered executors (the status tracker lists the
   * driver too), at most the task slots, at least one.
   */
  public static int sharing(SparkContext sc, int slots, int segments, int microBatches) {
    int executors =
        sc.isLocal()
            ? 1
            : Math.max(1, Math.min(slots, sc.statusTracker().getExecutorInfos().length - 1));
    return microBatches * ((segments + executors - 1) / executors);
  }

  /**
   * Closes what the executors keep paused for {@code run}, deleting its files: one task on every
   * segment partition, which runs where the layout's cached partition is, as the waves' tasks did.
   * Called when a fit ends; a failure is logged and not thrown, so that it never hides the fit's
   * own (what a lost executor kept went with it, and the next fit's sweep removes its files).
   */
  static void releaseKept(JavaPairRDD<SegmentKey, Chunk> layout, String run) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(layout.context());
    String group = sc.getLocalProperty("spark.jobGroup.id");
    String description = sc.getLocalProperty("spark.job.description");
    // A group of its own: cancelling the fit's jobs must not cancel their cleanup.
    sc.setJobGroup(run + "-release", "Rewind " + run + ": freeing the kept segments", false);
    try {
      layout.foreachPartition(rows -> KeptSegments.release(run));
    } catch (RuntimeException e) {
      LOG.warn("Rewind {}: freeing the segments the executors kept failed", run, e);
    } finally {
      if (group == null) {
        sc.clearJobGroup();
      } else {
        sc.setJobGroup(group, description, false);
      }
    }
  }

  /**
   * One job, described as {@code wave} after the step: the tasks of the segments {@code in} names,
   * on their partitions only.
   */
  private List<SegmentWork.Output> wave(
      JavaSparkContext sc,
      JavaPairRDD<SegmentKey, Chunk> layout,
      Broadcast<SegmentPlan> plan,
      int step,
      Broadcast<float[]> params,
      SegmentWork.Input[] in,
      String wave) {
    boolean backward = wave.startsWith("backward");
    Set<Integer> partitions = new HashSet<>();
    for (int k = 0; k < in.length; k++) {
      if (in[k] != null) {
        partitions.add(k);
      }
    }
    if (partitions.isEmpty()) {
      return List.of();
    }
    Broadcast<SegmentWork.Input[]> inputs = sc.broadcast(in);
    // The step's description (the trainer's job group) and the wave, as the Spark UI shows jobs.
    String description = sc.getLocalProperty("spark.job.description");
    sc.setJobDescription((description == null ? "Rewind" : description) + ", " + wave);
    try {
      PartitionPruningRDD<scala.Tuple2<SegmentKey, Chunk>> pruned =
          PartitionPruningRDD.create(layout.rdd(), new Keep(partitions));
      List<SegmentWork.Output> outputs =
          new JavaPairRDD<SegmentKey, Chunk>(
                  pruned,
                  ClassTag$.MODULE$.apply(SegmentKey.class),
                  ClassTag$.MODULE$.apply(Chunk.class))
              .mapPartitions(new SegmentTask(setup, step, backward, plan, params, inputs))
              .collect();
      if (outputs.size() != partitions.size()) {
        throw new IllegalStateException(
            "segment wave of step "
                + step
                + ": expected "
                + partitions.size()
                + " results, got "
                + outputs.size());
      }
      if (homes.length != in.length) {
        homes = new String[in.length];
      }
      for (SegmentWork.Output out : outputs) {
        homes[out.segment()] = out.executor();
      }
      return new ArrayList<>(outputs);
    } finally {
      sc.setJobDescription(description);
      inputs.destroy();
    }
  }

  /** Keeps the partitions of the segments a job runs. */
  private static final class Keep extends AbstractFunction1<Object, Object>
      implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Set<Integer> partitions;

    Keep(Set<Integer> partitions) {
      this.partitions = partitions;
    }

    @Override
    public Object apply(Object index) {
      return partitions.contains((Integer) index);
    }
  }
}
