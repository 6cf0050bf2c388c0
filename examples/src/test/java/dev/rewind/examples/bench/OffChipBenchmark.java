package dev.rewind.examples.bench;

import dev.rewind.examples.RewindCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * One {@code train --schedule remote:k=20} run (or another schedule) per off-chip tier and layout,
 * in one JVM and one run: the executors' local disk and an in-process HDFS (MiniDFSCluster, one
 * DataNode), each with pack files and with the old file per blob ({@code --offchip-layout files}).
 * Prints the wall time of each run, its ratio to local disk with packs, and the run's own off-chip
 * summary line.
 */
public final class OffChipBenchmark {
  private OffChipBenchmark() {}

  public static void main(String[] args) throws Exception {
    String trainSize = args.length > 0 ? args[0] : "32";
    String schedule = args.length > 1 ? args[1] : "remote:k=20";
    Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "offchip-bench-");
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, work.resolve("minidfs").toString());
    MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    try {
      cluster.waitActive();
      String hdfs = cluster.getFileSystem().getUri() + "/rewind-offchip";
      List<String[]> runs =
          List.of(
              new String[] {"warm-up (not counted)", "packs", ""},
              new String[] {"local disk", "packs", ""},
              new String[] {"local disk", "files", ""},
              new String[] {"MiniDFS", "packs", hdfs},
              new String[] {"MiniDFS", "files", hdfs});
      List<String> rows = new ArrayList<>();
      double base = 0;
      for (int i = 0; i < runs.size(); i++) {
        String[] run = runs.get(i);
        List<String> command =
            new ArrayList<>(
                List.of(
                    "train",
                    "--steps",
                    "1000",
                    "--delay",
                    "500",
                    "--layers",
                    "128,128",
                    "--epochs",
                    "1",
                    "--train-size",
                    trainSize,
                    "--test-size",
                    "16",
                    "--batch",
                    "8",
                    "--seed",
                    "1",
                    "--schedule",
                    "remote:k=20",
                    "--out",
                    work.resolve("run-" + i).toString()));
        if (!run[2].isEmpty()) {
          command.addAll(List.of("--offchip", run[2]));
        }
        StringWriter out = new StringWriter();
        long start = System.nanoTime();
        int code =
            RewindCli.commandLine()
                .setOut(new PrintWriter(out))
                .execute(command.toArray(String[]::new));
        double seconds = (System.nanoTime() - start) / 1e9;
        if (code != 0) {
          throw new IllegalStateException(
              String.join(" ", command) + " exited " + code + ":\n" + out);
        }
        if (i == 0) {
          continue;
        }
        base = i == 1 ? seconds : base;
        String summary =
            out.toString()
                .lines()
                .filter(l -> l.contains("off-chip") || l.contains("blocked"))
                .map(String::trim)
                .reduce((a, b) -> a + "; " + b)
                .orElse("");
        rows.add(
            String.format(
                "| %s | %s | %.1f | %.2f | %s |",
                run[0], run[1], seconds, seconds / base, summary));
        System.out.println(rows.get(rows.size() - 1));
      }
      System.out.println();
      System.out.println(
          "train --steps 1000 --delay 500 --layers 128,128 --epochs 1 --train-size "
              + trainSize
              + " --test-size 16 --batch 8 --seed 1 --schedule "
              + schedule);
      System.out.println(
          "| off-chip tier | layout | run s | / local disk, packs | the run's own figures |");
      System.out.println("|---|---|---|---|---|");
      rows.forEach(System.out::println);
    } finally {
      cluster.shutdown(true);
    }
  }
}
