package dev.rewind.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.trainer.io.ParameterFiles;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.ModelSetup;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.training.EpochResult;
import dev.rewind.trainer.training.TrainingConfig;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * The folder a training run leaves: {@code model.json}, {@code params/} (one .npy per tensor),
 * {@code metrics.jsonl} and {@code metrics.csv} (one row per epoch), {@code loss.png}, {@code
 * accuracy.png}, the {@link ScheduleReport} files ({@code schedules.csv}, {@code schedules.png},
 * {@code schedule-used.csv}) and {@code index.html}, a page with the task, the plots and tables.
 */
final class RunFolder {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir;

  RunFolder(Path dir) {
    this.dir = dir;
  }

  /** The folder under a run folder that holds the training state of a run not yet complete. */
  static final String STATE = "training-state";

  /**
   * Fails unless {@code dir} is absent, empty, or holds only the {@value #STATE} of a run that
   * stopped (which the same command then resumes), before any work is spent.
   */
  static void requireNewOrResumable(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var entries = Files.list(dir)) {
        if (entries.anyMatch(e -> !e.getFileName().toString().equals(STATE))) {
          throw new IllegalArgumentException(
              "--out: expected a new or empty folder (or one holding only a stopped run's "
                  + STATE
                  + "/), got non-empty "
                  + dir.toAbsolutePath());
        }
      }
    }
  }

  /**
   * Writes everything into a hidden sibling folder, then removes {@code dir}'s {@value #STATE} if
   * any and renames the sibling to {@code dir}: a run that fails half-way leaves no partial result
   * folder (and its state, for a rerun).
   */
  void write(
      String description,
      ModelSetup setup,
      TrainingConfig training,
      Parameters parameters,
      List<EpochResult> epochs,
      ScheduleReport schedules)
      throws IOException {
    write(description, setup, training, parameters, epochs, schedules, staging -> {});
  }

  /** More files of a run, written into the staging folder before it is renamed. */
  interface Extra {
    void writeInto(Path staging) throws IOException;
  }

  /**
   * As {@link #write(String, ModelSetup, TrainingConfig, Parameters, List, ScheduleReport)}, plus
   * {@code extra}'s files; {@code schedules} may be null when no schedule report was made.
   */
  void write(
      String description,
      ModelSetup setup,
      TrainingConfig training,
      Parameters parameters,
      List<EpochResult> epochs,
      ScheduleReport schedules,
      Extra extra)
      throws IOException {
    requireNewOrResumable(dir);
    Path target = dir.toAbsolutePath();
    Files.createDirectories(target.getParent());
    Path staging = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + "-");
    try {
      writeInto(staging, setup.network(), parameters, epochs);
      Files.writeString(
          staging.resolve(RunSetup.FILE), new RunSetup(setup, training).toJson() + "\n");
      String scheduleHtml = "";
      if (schedules != null) {
        schedules.write(staging);
        scheduleHtml = schedules.html();
      }
      Files.writeString(
          staging.resolve("index.html"),
          index(description, epochs, scheduleHtml, !setup.network().loss().regression()));
      extra.writeInto(staging);
      deleteRecursively(target.resolve(STATE));
      Files.deleteIfExists(target);
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (Throwable e) { // Spark rethrows its checked SparkException undeclared
      deleteRecursively(staging);
      throw e;
    }
  }

  /** One JSON object per line, for records such as per-step metrics. */
  static void writeJsonLines(Path file, List<?> values) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (Object v : values) {
        w.write(JSON.writeValueAsString(v));
        w.write('\n');
      }
    }
  }

  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static void writeInto(
      Path dir, ModelConfig config, Parameters parameters, List<EpochResult> epochs)
      throws IOException {
    Files.writeString(dir.resolve("model.json"), config.toJson() + "\n");
    new ParameterFiles(config).write(dir.resolve("params"), parameters.data());
    try (Writer w = Files.newBufferedWriter(dir.resolve("metrics.jsonl"), StandardCharsets.UTF_8)) {
      for (EpochResult e : epochs) {
        w.write(JSON.writeValueAsString(e));
        w.write('\n');
      }
    }
    List<List<Object>> csv = new ArrayList<>();
    csv.add(
        List.of(
            "epoch",
            "train_loss",
            "train_accuracy",
            "test_loss",
            "test_accuracy",
            "gradient_norm",
            "seconds"));
    for (EpochResult e : epochs) {
      csv.add(
          List.of(
              e.epoch(),
              e.trainLoss(),
              e.trainAccuracy(),
              e.testLoss(),
              e.testAccuracy(),
              e.gradientNorm(),
              e.seconds()));
    }
    Csv.write(dir.resolve("metrics.csv"), csv);
    plot(dir, "loss.png", "Loss", epochs, EpochResult::trainLoss, EpochResult::testLoss);
    if (config.loss().regression()) {
      return; // no classes, so no accuracy to plot (metrics keep their columns, at 0)
    }
    plot(
        dir,
        "accuracy.png",
        "Accuracy",
        epochs,
        EpochResult::trainAccuracy,
        EpochResult::testAccuracy);
  }

  /**
   * A small self-contained report page; the description is HTML-escaped, {@code schedules} is an
   * HTML section appended as is.
   */
  static String index(String description, List<EpochResult> epochs, String schedules) {
    return index(description, epochs, schedules, true);
  }

  /** As {@link #index(String, List, String)}; without accuracy when {@code classifies} is false. */
  static String index(
      String description, List<EpochResult> epochs, String schedules, boolean classifies) {
    StringBuilder html =
        new StringBuilder(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>rewind run</title>"
                + "<style>body{font-family:sans-serif}td,th{padding:2px 10px;text-align:right}"
                + "</style></head><body>\n<h1>rewind run</h1>\n<p>");
    html.append(escape(description)).append("</p>\n");
    html.append("<img src=\"loss.png\" alt=\"loss\">")
        .append(classifies ? " <img src=\"accuracy.png\" alt=\"accuracy\">\n" : "\n");
    html.append("<table><tr><th>epoch</th><th>train loss</th>")
        .append(classifies ? "<th>train acc</th>" : "")
        .append("<th>test loss</th>")
        .append(classifies ? "<th>test acc</th>" : "")
        .append("<th>seconds</th></tr>\n");
    for (EpochResult e : epochs) {
      html.append(
          String.format(Locale.ROOT, "<tr><td>%d</td><td>%.4f</td>", e.epoch(), e.trainLoss()));
      if (classifies) {
        html.append(String.format(Locale.ROOT, "<td>%.1f%%</td>", 100 * e.trainAccuracy()));
      }
      html.append(String.format(Locale.ROOT, "<td>%.4f</td>", e.testLoss()));
      if (classifies) {
        html.append(String.format(Locale.ROOT, "<td>%.1f%%</td>", 100 * e.testAccuracy()));
      }
      html.append(String.format(Locale.ROOT, "<td>%.1f</td></tr>%n", e.seconds()));
    }
    return html.append("</table>\n")
        .append(schedules)
        .append(
            "<p>Model: model.json; parameters: params/; metrics: metrics.jsonl, metrics.csv;"
                + " schedules: schedules.csv, schedule-used.csv.</p>\n</body></html>\n")
        .toString();
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** A PNG of one measure per epoch, on the training and on the test set. */
  private static void plot(
      Path dir,
      String file,
      String title,
      List<EpochResult> epochs,
      ToDoubleFunction<EpochResult> train,
      ToDoubleFunction<EpochResult> test)
      throws IOException {
    double[] x = epochs.stream().mapToDouble(EpochResult::epoch).toArray();
    XYChart chart =
        new XYChartBuilder().width(640).height(400).title(title).xAxisTitle("epoch").build();
    chart.addSeries("train", x, epochs.stream().mapToDouble(train).toArray());
    chart.addSeries("test", x, epochs.stream().mapToDouble(test).toArray());
    BitmapEncoder.saveBitmap(chart, dir.resolve(file).toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
