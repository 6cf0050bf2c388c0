package dev.rewind.trainer.checkpoint;

import dev.rewind.storage.BlobStore;
import dev.rewind.storage.BlobStores;
import dev.rewind.trainer.bptt.BpttResult;
import dev.rewind.trainer.bptt.StoreAllBptt;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.schedule.MemoryBudget;
import dev.rewind.trainer.schedule.ScheduleSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One exact training step (gradient) of the reference setting at length T, to be run in a JVM with
 * a small heap (-Xmx1g) to find the longest sequence a method trains: {@code store-all} (plain
 * StoreAllBptt) or any schedule spec (run by {@link SequenceTrainer} with inputs streamed through a
 * local-disk slow tier under {@code dir}, the budget in bytes). Prints one line: {@code OK} with
 * time and heap, or {@code OOM}.
 *
 * <pre>
 * java -Xmx1g -cp ... dev.rewind.trainer.checkpoint.MaxLengthProbe store-all 12000 /tmp/probe
 * java -Xmx1g -cp ... dev.rewind.trainer.checkpoint.MaxLengthProbe auto 100000 /tmp/probe 268435456
 * </pre>
 */
public final class MaxLengthProbe {
  private MaxLengthProbe() {}

  public static void main(String[] args) throws Exception {
    String spec = args[0];
    int steps = Integer.parseInt(args[1]);
    Path dir = Path.of(args[2]);
    long budget = args.length > 3 ? Long.parseLong(args[3]) : 256L << 20;
    Parameters parameters = ReferenceRun.parameters();
    long start = System.nanoTime();
    try (ReferenceRun.HeapSampler heap = new ReferenceRun.HeapSampler()) {
      String what;
      double loss;
      if (spec.equals("store-all")) {
        BpttResult r =
            new StoreAllBptt(ReferenceRun.config(), ReferenceRun.BATCH)
                .run(parameters, ReferenceRun.frames(steps));
        what = "store-all";
        loss = r.loss();
      } else {
        Files.createDirectories(dir);
        try (BlobStore disk = BlobStores.localDisk(dir.resolve("slow"));
            SequenceTrainer trainer =
                new SequenceTrainer(
                    ReferenceRun.config(),
                    ReferenceRun.BATCH,
                    disk,
                    TrainerSettings.of(
                            ScheduleSpec.parse(spec), new MemoryBudget(budget), "local-disk")
                        .withCalibrationCache(dir.resolve("calibration")))) {
          CheckpointResult r = trainer.gradient(parameters, ReferenceRun.frames(steps));
          what = r.metrics().toString();
          loss = r.loss();
        }
      }
      System.out.printf(
          Locale.ROOT,
          "OK %s T=%d loss=%.6f seconds=%.1f max-heap=%d MiB peak-heap-above-start=%.1f MiB %s%n",
          spec,
          steps,
          loss,
          (System.nanoTime() - start) / 1e9,
          Runtime.getRuntime().maxMemory() >> 20,
          heap.peakAboveBaseline() / 1048576.0,
          what);
    } catch (OutOfMemoryError e) {
      System.out.printf(
          Locale.ROOT,
          "OOM %s T=%d max-heap=%d MiB after %.1f s: %s%n",
          spec,
          steps,
          Runtime.getRuntime().maxMemory() >> 20,
          (System.nanoTime() - start) / 1e9,
          e.getMessage());
      System.exit(3);
    }
  }
}
