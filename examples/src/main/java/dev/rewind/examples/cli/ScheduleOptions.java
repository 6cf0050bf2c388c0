package dev.rewind.examples.cli;

import dev.rewind.examples.spark.Hadoop;
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
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Which checkpoint schedule computes the gradients, within what memory, and where off-chip. */
final class ScheduleOptions {
  @Option(
      names = "--schedule",
      defaultValue = "auto",
      converter = ScheduleSpecConverter.class,
      description =
          "store-all | periodic:k=N | revolve:slots=N | remote:k=N | double:K=N,k=M |"
              + " two-level:slots=N | auto (default: the fastest that fits --memory-budget)."
              + " Every schedule gives the same gradients as store-all, bit for bit.")
  ScheduleSpec schedule;

  @Option(
      names = "--memory-budget",
      defaultValue = "512m",
      converter = MemoryBudgetConverter.class,
      description =
          "Heap for saved states and tapes (per Spark task), e.g. 512m, 2g (default"
              + " ${DEFAULT-VALUE}).")
  MemoryBudget memoryBudget;

  @Option(
      names = "--offchip",
      description =
          "Off-chip store for checkpoints and streamed inputs: a directory or a Hadoop URI"
              + " (file:///..., hdfs://host:port/...). Default: a temporary directory, removed"
              + " at exit.")
  String offchip;

  @Option(
      names = "--offchip-layout",
      defaultValue = "packs",
      description =
          "How the off-chip store lays out blobs: packs (appended to a few large files per task)"
              + " or files (one file per blob: slower, as each costs a file creation, but each"
              + " blob can be looked at). Default: ${DEFAULT-VALUE}.")
  String offchipLayout;

  /** The store --offchip names, or a temporary directory's, which close() removes. */
  record Offchip(BlobStore store, Path temporary, String tierName) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      try {
        store.close();
      } finally {
        if (temporary != null) {
          RunFolder.deleteRecursively(temporary);
        }
      }
    }
  }

  /** Opens the off-chip store. */
  Offchip openOffchip() throws IOException {
    if (offchip == null) {
      Path temporary = Files.createTempDirectory("rewind-offchip-");
      return new Offchip(localStore(temporary), temporary, tierName("local-disk"));
    } else if (Hadoop.isUri(offchip)) {
      URI uri = URI.create(offchip);
      BlobStore store = BlobStores.offChip(uri, new Configuration(), packs());
      return new Offchip(store, null, tierName(uri.getScheme()));
    }
    return new Offchip(localStore(Path.of(offchip)), null, tierName("local-disk"));
  }

  /** The --offchip-layout, checked. */
  String layout() {
    if (!offchipLayout.equals("packs") && !offchipLayout.equals("files")) {
      throw new CommandLine.ParameterException(
          new CommandLine(this),
          "--offchip-layout: expected packs or files, got '" + offchipLayout + "'");
    }
    return offchipLayout;
  }

  private boolean packs() {
    return layout().equals("packs");
  }

  private BlobStore localStore(Path root) throws IOException {
    return BlobStores.offChip(root, packs());
  }

  /** As the Spark engine names tiers in the calibration cache ({@code OffChip.tierName}). */
  private String tierName(String tier) {
    return packs() ? tier + "-packs" : tier;
  }

  /** The --schedule, parsed by picocli at the edge. */
  ScheduleSpec spec() {
    return schedule;
  }

  MemoryBudget budget() {
    return memoryBudget;
  }

  /** Reads --schedule once; a bad value fails naming the option with the parser's reason. */
  static final class ScheduleSpecConverter implements CommandLine.ITypeConverter<ScheduleSpec> {
    @Override
    public ScheduleSpec convert(String value) {
      try {
        return ScheduleSpec.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** Reads --memory-budget once, like {@link ScheduleSpecConverter}. */
  static final class MemoryBudgetConverter implements CommandLine.ITypeConverter<MemoryBudget> {
    @Override
    public MemoryBudget convert(String value) {
      try {
        return MemoryBudget.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** An open off-chip store, the schedule trainer on it, and what its runs cost so far. */
  final class Session implements AutoCloseable {
    private final Offchip store;
    private final SequenceTrainer trainer;
    private final ScheduleUsage usage = new ScheduleUsage();

    private Session(ModelConfig config, int batch, int truncation) throws IOException {
      store = openOffchip();
      trainer =
          new SequenceTrainer(
              config,
              batch,
              store.store(),
              TrainerSettings.of(spec(), budget(), store.tierName()).withTruncation(truncation));
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
      return ScheduleReport.of(steps, budget(), trainer.calibration().toCostModel(), spec(), usage);
    }

    @Override
    public void close() throws IOException {
      try (Offchip s = store) {
        trainer.close();
      }
    }
  }

  Session open(ModelConfig config, int batch, int truncation) throws IOException {
    return new Session(config, batch, truncation);
  }
}
