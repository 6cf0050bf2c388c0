package dev.rewind.examples.cli;

import dev.rewind.storage.BlobStore;
import dev.rewind.storage.BlobStores;
import dev.rewind.trainer.checkpoint.SequenceTrainer;
import dev.rewind.trainer.checkpoint.TrainerSettings;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.schedule.MemoryBudget;
import dev.rewind.trainer.schedule.ScheduleSpec;
import dev.rewind.trainer.training.CheckpointedGradients;
import dev.rewind.trainer.training.GradientFunction;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Option;

/** Which checkpoint schedule computes the gradients, within what memory, and where off-chip. */
public final class ScheduleOptions {
  @Option(
      names = "--schedule",
      defaultValue = "auto",
      description =
          "store-all | periodic:k=N | revolve:slots=N | remote:k=N | double:K=N,k=M |"
              + " two-level:slots=N | auto (default: the fastest that fits --memory-budget)."
              + " Every schedule gives the same gradients as store-all, bit for bit.")
  String schedule;

  @Option(
      names = "--memory-budget",
      defaultValue = "512m",
      description = "Heap for saved states and tapes, e.g. 512m, 2g (default ${DEFAULT-VALUE}).")
  String memoryBudget;

  @Option(
      names = "--offchip",
      description =
          "Off-chip store for checkpoints and streamed inputs: a directory or a Hadoop URI"
              + " (file:///..., hdfs://host:port/...). Default: a temporary directory, removed"
              + " at exit.")
  String offchip;

  /** Parses --schedule and --memory-budget, so that a typo fails before any work is done. */
  void check() {
    ScheduleSpec.parse(schedule);
    MemoryBudget.parse(memoryBudget);
  }

  /** An open off-chip store, the schedule trainer on it, and what its runs cost so far. */
  final class Session implements AutoCloseable {
    private final BlobStore store;
    private final SequenceTrainer trainer;
    private final Path temporary;
    private final ScheduleUsage usage = new ScheduleUsage();

    private Session(ModelConfig config, int batch) throws IOException {
      ScheduleSpec spec = ScheduleSpec.parse(schedule);
      MemoryBudget budget = MemoryBudget.parse(memoryBudget);
      String tierName;
      if (offchip == null) {
        temporary = Files.createTempDirectory("rewind-offchip-");
        store = BlobStores.localDisk(temporary);
        tierName = "local-disk";
      } else if (offchip.contains("://") || offchip.startsWith("file:")) {
        temporary = null;
        URI uri = URI.create(offchip);
        store = BlobStores.hadoop(uri, new Configuration());
        tierName = uri.getScheme();
      } else {
        temporary = null;
        store = BlobStores.localDisk(Path.of(offchip));
        tierName = "local-disk";
      }
      trainer =
          new SequenceTrainer(config, batch, store, TrainerSettings.of(spec, budget, tierName));
    }

    GradientFunction gradients(ModelConfig config, int batch) {
      return new CheckpointedGradients(config, batch, trainer, usage::add);
    }

    String summary() {
      return usage.summary();
    }

    /**
     * The planner's candidates for sequences of {@code steps} steps under the cost model calibrated
     * by this session's first training step, with what the schedule used cost so far.
     */
    ScheduleReport report(long steps) {
      if (trainer.calibration() == null) {
        throw new IllegalStateException("no training step has run: the cost model is not known");
      }
      return ScheduleReport.of(
          steps,
          MemoryBudget.parse(memoryBudget),
          trainer.calibration().toCostModel(),
          ScheduleSpec.parse(schedule),
          usage);
    }

    @Override
    public void close() throws IOException {
      try (BlobStore s = store) {
        trainer.close();
      } finally {
        if (temporary != null) {
          RunFolder.deleteRecursively(temporary);
        }
      }
    }
  }

  Session open(ModelConfig config, int batch) throws IOException {
    return new Session(config, batch);
  }
}
