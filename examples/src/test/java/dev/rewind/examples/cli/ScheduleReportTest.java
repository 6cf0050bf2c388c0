package dev.rewind.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.examples.RewindCli;
import dev.rewind.trainer.schedule.AutoPlanner;
import dev.rewind.trainer.schedule.CostModel;
import dev.rewind.trainer.schedule.MemoryBudget;
import dev.rewind.trainer.schedule.ScheduleSpec;
import dev.rewind.trainer.schedule.TierCost;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScheduleReportTest {
  /** 1 ms per taped step and 2 ms per reverse; a state 1000 bytes, a tape step 2000 bytes. */
  private static final CostModel COST =
      new CostModel(
          1e-3, 1.2e-3, 2e-3, 1000, 2000, new TierCost(1e-5, 1e-5), new TierCost(1e-3, 1e-3));

  @TempDir Path dir;

  /** Parses RFC 4180 CSV as {@link Csv} writes it (quoted fields, doubled quotes, CRLF). */
  static List<List<String>> parseCsv(Path file) throws IOException {
    String text = Files.readString(file);
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        row.add(field.toString());
        field.setLength(0);
      } else if (c == '\r') {
        row.add(field.toString());
        field.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
        i++;
      } else {
        field.append(c);
      }
    }
    assertTrue(row.isEmpty() && field.isEmpty(), "CSV ends with CRLF: " + file);
    return rows;
  }

  static Map<String, String> keyValues(Path file) throws IOException {
    Map<String, String> map = new HashMap<>();
    for (List<String> r : parseCsv(file).subList(1, parseCsv(file).size())) {
      map.put(r.get(0), r.get(1));
    }
    return map;
  }

  @Test
  void marksWhatDoesNotFitAndPicksWhatAutoPicks() throws IOException {
    long steps = 1000;
    MemoryBudget budget = new MemoryBudget(200_000);
    ScheduleReport report =
        ScheduleReport.of(steps, budget, COST, ScheduleSpec.parse("auto"), new ScheduleUsage());
    List<ScheduleReport.Row> rows = report.rows();
    ScheduleReport.Row storeAll = rows.get(0);
    assertEquals("store-all", storeAll.kind());
    assertEquals(1000 + 1000 * 2000L, storeAll.declaredBytes());
    assertFalse(storeAll.fits());
    assertEquals(
        AutoPlanner.choose(steps, budget, COST).schedule().description(),
        report.chosen().schedule());
    assertTrue(report.chosen().fits());
    assertEquals(1, rows.stream().filter(ScheduleReport.Row::chosen).count());
    for (ScheduleReport.Row r : rows) {
      assertEquals(r.declaredBytes() <= budget.bytes(), r.fits(), r.toString());
      assertTrue(r.simulatedBytes() <= r.declaredBytes(), r.toString());
    }

    report.write(dir);
    List<List<String>> csv = parseCsv(dir.resolve("schedules.csv"));
    assertEquals(rows.size() + 1, csv.size());
    assertEquals("schedule", csv.get(0).get(1));
    for (int i = 0; i < rows.size(); i++) {
      List<String> line = csv.get(i + 1);
      assertEquals(8, line.size(), line.toString());
      assertEquals(rows.get(i).schedule(), line.get(1));
      assertEquals(rows.get(i).predictedSeconds(), Double.parseDouble(line.get(2)), 1e-9);
      assertEquals(rows.get(i).declaredBytes(), Long.parseLong(line.get(3)));
      assertEquals(String.valueOf(rows.get(i).fits()), line.get(6));
      assertEquals(String.valueOf(rows.get(i).chosen()), line.get(7));
    }
    assertEquals(2 * 640, ImageIO.read(dir.resolve("schedules.png").toFile()).getWidth());
    assertTrue(report.html().contains("over budget"), report.html());
  }

  @Test
  void aNamedScheduleIsTheChosenRowEvenWhenAutoWouldPickAnother() {
    ScheduleReport report =
        ScheduleReport.of(
            1000,
            MemoryBudget.UNLIMITED,
            COST,
            ScheduleSpec.parse("periodic:k=7"),
            new ScheduleUsage());
    assertEquals("periodic(k=7)", report.chosen().schedule());
    assertEquals("store-all", report.rows().get(0).schedule());
    assertFalse(report.rows().get(0).chosen());
    assertTrue(report.rows().stream().allMatch(ScheduleReport.Row::fits));
  }

  @Test
  void aRunFolderHoldsTheScheduleReportOfTheScheduleTrainedWith() throws IOException {
    Path run = dir.resolve("run");
    StringWriter out = new StringWriter();
    int code =
        RewindCli.commandLine()
            .setOut(new PrintWriter(out))
            .execute(
                "train",
                "--engine",
                "jvm",
                "--steps",
                "100",
                "--delay",
                "30",
                "--cue-length",
                "20",
                "--recall-window",
                "20",
                "--layers",
                "24",
                "--epochs",
                "2",
                "--batch",
                "4",
                "--train-size",
                "8",
                "--test-size",
                "4",
                "--memory-budget",
                "40k",
                "--out",
                run.toString());
    assertEquals(0, code, out.toString());
    for (String f : List.of("metrics.csv", "schedules.csv", "schedules.png", "schedule-used.csv")) {
      assertTrue(Files.size(run.resolve(f)) > 0, f);
    }
    List<List<String>> metrics = parseCsv(run.resolve("metrics.csv"));
    assertEquals(3, metrics.size());
    assertEquals("test_accuracy", metrics.get(0).get(4));
    assertEquals("2", metrics.get(2).get(0));
    double accuracy = Double.parseDouble(metrics.get(2).get(4));
    assertTrue(accuracy >= 0 && accuracy <= 1, "accuracy " + accuracy);

    List<List<String>> schedules = parseCsv(run.resolve("schedules.csv"));
    List<List<String>> chosen = schedules.stream().filter(r -> r.get(7).equals("true")).toList();
    assertEquals(1, chosen.size(), schedules.toString());
    Map<String, String> used = keyValues(run.resolve("schedule-used.csv"));
    assertEquals(chosen.get(0).get(1), used.get("schedule"));
    assertTrue(
        out.toString().contains("schedule " + used.get("schedule") + ": 4 training steps"),
        out.toString());
    assertEquals("4", used.get("training_steps"));
    assertTrue(Double.parseDouble(used.get("measured_seconds_per_step")) > 0, used.toString());
    assertTrue(Long.parseLong(used.get("peak_schedule_bytes")) > 0, used.toString());
    assertTrue(Long.parseLong(used.get("peak_schedule_bytes")) <= 40 * 1024, used.toString());
    // 40 KiB does not hold 100 steps of tape for 4 sequences of 24 neurons.
    assertTrue(
        schedules.stream().anyMatch(r -> r.get(0).equals("store-all") && r.get(6).equals("false")),
        schedules.toString());
    String index = Files.readString(run.resolve("index.html"));
    assertTrue(index.contains("<img src=\"schedules.png\""), index);
    assertTrue(index.contains(used.get("schedule")), index);
  }
}
