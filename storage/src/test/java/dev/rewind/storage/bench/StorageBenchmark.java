package dev.rewind.storage.bench;

import dev.rewind.storage.format.FloatCompression;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Prints the storage figures of docs/BENCHMARKS.md as Markdown.
 *
 * <p>Run: {@code storage/run-benchmark.sh 256 3 target/bench /dev/shm/rewind-bench} (MiB per block
 * size, rounds, directories to measure).
 */
public final class StorageBenchmark {
  private StorageBenchmark() {}

  public static void main(String[] args) throws Exception {
    long mib = args.length > 0 ? Long.parseLong(args[0]) : 256;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    List<Path> dirs = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      dirs.add(Path.of(args[i]).toAbsolutePath());
    }
    if (dirs.isEmpty()) {
      dirs.add(Path.of("target/bench").toAbsolutePath());
    }
    System.out.println(
        "Machine: "
            + shell("lscpu | grep 'Model name' | sed 's/  */ /g'").trim()
            + ", nproc "
            + shell("nproc").trim()
            + ", Java "
            + System.getProperty("java.version"));
    for (Path dir : dirs) {
      Files.createDirectories(dir);
      System.out.println("Disk of " + dir + ": " + shell("df -h " + dir + " | tail -1").trim());
    }
    System.out.println();
    System.out.println(
        "| dir | layout | block | sync | store write MB/s | dd write MB/s | write ratio"
            + " | store read MB/s | dd read MB/s | read ratio"
            + " | store rewrite MB/s | dd overwrite MB/s | rewrite ratio | delete us/blob |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (Path dir : dirs) {
      disk(dir, mib, rounds);
    }
    System.out.println();
    spikes();
    floats();
  }

  private static void disk(Path dir, long mib, int rounds) throws Exception {
    for (boolean packs : new boolean[] {false, true}) {
      DiskThroughput bench = new DiskThroughput(dir, mib << 20, rounds, packs);
      for (boolean sync : packs ? new boolean[] {false} : new boolean[] {false, true}) {
        for (int block : new int[] {64 << 10, 1 << 20, 16 << 20}) {
          row(dir, packs, block, sync, bench.measure(block, sync));
        }
      }
    }
  }

  private static void row(
      Path dir, boolean packs, int block, boolean sync, DiskThroughput.Row row) {
    System.out.printf(
        "| %s | %s | %s | %s | %.0f | %.0f | %.2f | %.0f | %.0f | %.2f | %.0f | %.0f | %.2f | %.0f |%n",
        dir,
        packs ? "packs" : "file per blob",
        block >= 1 << 20 ? (block >> 20) + " MiB" : (block >> 10) + " KiB",
        sync ? "every blob / oflag=dsync" : "none (page cache)",
        row.storeWrite(),
        row.ddWrite(),
        row.storeWrite() / row.ddWrite(),
        row.storeRead(),
        row.ddRead(),
        row.storeRead() / row.ddRead(),
        row.storeRewrite(),
        row.ddRewrite(),
        row.storeRewrite() / row.ddRewrite(),
        row.deleteMicros());
  }

  private static void spikes() throws Exception {
    System.out.println(
        "| density | frame | payload B/spike | entropy B/spike | bitmap B/spike"
            + " | payload / min(bitmap, entropy) | file B/spike (with header+footer) | encodings"
            + " chosen | encode ns/spike | decode ns/spike |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|");
    for (int[] shape : List.of(new int[] {16, 512}, new int[] {256, 512})) {
      for (double p : new double[] {0.01, 0.05, 0.20}) {
        int frames = shape[0] == 16 ? 2000 : 125;
        CodecSizes.SpikeRow r = CodecSizes.spikes(p, shape[0], shape[1], frames, 7);
        System.out.printf(
            "| %.0f%% | %d x %d | %.3f | %.3f | %.3f | %.3f | %.3f | %s | %.1f | %.1f |%n",
            100 * p,
            shape[0],
            shape[1],
            r.payloadPerSpike(),
            r.entropyPerSpike(),
            r.bitmapPerSpike(),
            r.ratio(),
            r.filePerSpike(),
            r.codecs(),
            r.encodeNsPerSpike(),
            r.decodeNsPerSpike());
      }
    }
    System.out.println();
  }

  private static void floats() throws Exception {
    System.out.println("| data | codec | size / raw | encode MB/s | decode MB/s |");
    System.out.println("|---|---|---|---|---|");
    Map<String, float[]> inputs =
        Map.of(
            "LIF membrane potentials 16 x 512", CodecSizes.membranePotentials(16 * 512, 200, 3),
            "90% zeros 16 x 512", CodecSizes.mostlyZeros(16 * 512, 3));
    for (Map.Entry<String, float[]> input : new java.util.TreeMap<>(inputs).entrySet()) {
      for (CodecSizes.FloatRow r :
          CodecSizes.floats(input.getKey(), input.getValue(), 2000).values()) {
        System.out.printf(
            "| %s | %s | %.3f | %.0f | %.0f |%n",
            r.data(),
            r.compression() == FloatCompression.NONE ? "raw" : r.compression(),
            r.sizeRatio(),
            r.encodeMbps(),
            r.decodeMbps());
      }
    }
  }

  private static String shell(String command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes());
    process.waitFor(1, TimeUnit.MINUTES);
    return out;
  }
}
