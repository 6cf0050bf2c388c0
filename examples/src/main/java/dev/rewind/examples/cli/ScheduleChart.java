package dev.rewind.examples.cli;

import dev.rewind.trainer.schedule.MemoryBudget;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;

/**
 * {@code schedules.png}: two bar charts side by side, predicted time (per training step or
 * sequence) and peak memory per schedule, with bars coloured by status (used, fits the budget, over
 * budget) and the budget drawn as a line on the memory chart.
 */
final class ScheduleChart {
  private static final int WIDTH = 640;
  private static final int HEIGHT = 440;
  private static final Color USED = new Color(0x1f, 0x77, 0xb4);
  private static final Color FITS = new Color(0xa0, 0xa0, 0xa0);
  private static final Color OVER = new Color(0xd6, 0x27, 0x28);

  private ScheduleChart() {}

  /** {@code predictedPer} names what one predicted time is for, e.g. "training step". */
  static void write(
      Path file, List<ScheduleReport.Row> rows, MemoryBudget budget, String predictedPer)
      throws IOException {
    CategoryChart time =
        chart(
            "Predicted time per " + predictedPer,
            "seconds",
            rows,
            ScheduleReport.Row::predictedSeconds);
    CategoryChart memory =
        chart(
            "Peak memory (declared), budget " + MemoryBudget.mebibytes(budget.bytes()),
            "MiB",
            rows,
            r -> r.declaredBytes() / 1048576.0);
    double largest = rows.stream().mapToLong(ScheduleReport.Row::declaredBytes).max().orElse(0);
    // A budget far above every bar would flatten them; the title states it in any case.
    if (budget.bytes() <= 4 * largest) {
      List<Double> line =
          new ArrayList<>(Collections.nCopies(rows.size(), budget.bytes() / 1048576.0));
      memory
          .addSeries("budget", labels(rows), line)
          .setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
    }
    BufferedImage image = new BufferedImage(2 * WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.drawImage(BitmapEncoder.getBufferedImage(time), 0, 0, null);
      g.drawImage(BitmapEncoder.getBufferedImage(memory), WIDTH, 0, null);
    } finally {
      g.dispose();
    }
    if (!ImageIO.write(image, "png", file.toFile())) {
      throw new IOException(file + ": expected a PNG writer in this JVM, got none");
    }
  }

  private static CategoryChart chart(
      String title,
      String unit,
      List<ScheduleReport.Row> rows,
      ToDoubleFunction<ScheduleReport.Row> value) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .yAxisTitle(unit)
            .build();
    chart.getStyler().setOverlapped(true);
    chart.getStyler().setXAxisLabelRotation(30);
    List<String> labels = labels(rows);
    addStatus(chart, "used", USED, labels, rows, value, ScheduleReport.Row::chosen);
    addStatus(chart, "fits budget", FITS, labels, rows, value, r -> r.fits() && !r.chosen());
    addStatus(chart, "over budget", OVER, labels, rows, value, r -> !r.fits() && !r.chosen());
    return chart;
  }

  private static void addStatus(
      CategoryChart chart,
      String name,
      Color color,
      List<String> labels,
      List<ScheduleReport.Row> rows,
      ToDoubleFunction<ScheduleReport.Row> value,
      Predicate<ScheduleReport.Row> member) {
    List<Double> y = new ArrayList<>();
    for (ScheduleReport.Row r : rows) {
      y.add(member.test(r) ? value.applyAsDouble(r) : 0.0);
    }
    chart.addSeries(name, labels, y).setFillColor(color);
  }

  private static List<String> labels(List<ScheduleReport.Row> rows) {
    return rows.stream().map(ScheduleReport.Row::schedule).toList();
  }
}
