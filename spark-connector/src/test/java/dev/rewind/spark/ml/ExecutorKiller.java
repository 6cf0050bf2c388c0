package dev.rewind.spark.ml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Kills, with SIGKILL, the first executor JVM of a local-cluster seen holding an open off-chip
 * store (its pack folder is named by its pid), once armed: the fault the executor-kill tests
 * inject.
 */
final class ExecutorKiller {
  final AtomicBoolean armed = new AtomicBoolean();
  final AtomicInteger killed = new AtomicInteger();
  final AtomicReference<String> killedFolder = new AtomicReference<>();
  private final Path offChip;
  private final Thread thread;

  /** Starts watching {@code offChip}; kills nothing until {@link #armed} is set. */
  ExecutorKiller(Path offChip) {
    this.offChip = offChip;
    this.thread =
        new Thread(
            () -> {
              while (killed.get() == 0 && !Thread.currentThread().isInterrupted()) {
                if (armed.get()) {
                  killAnExecutorHoldingAStore();
                }
                LockSupport.parkNanos(200_000);
              }
            });
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops watching. */
  void stop() throws InterruptedException {
    thread.interrupt();
    thread.join();
  }

  /**
   * The executor JVMs of this driver: local-cluster starts them as its only java descendants (their
   * command lines are too long for the JDK to report, so the test goes by the executable).
   */
  static List<ProcessHandle> executors() {
    return ProcessHandle.current()
        .descendants()
        .filter(p -> p.isAlive() && p.info().command().map(c -> c.endsWith("/java")).orElse(false))
        .toList();
  }

  static List<String> entries(Path dir) throws IOException {
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private void killAnExecutorHoldingAStore() {
    List<Long> executorPids = executors().stream().map(ProcessHandle::pid).toList();
    try {
      for (String folder : entries(offChip)) {
        String[] parts = folder.split("_");
        if (parts.length < 2 || !parts[parts.length - 2].matches("[0-9]+")) {
          continue; // not a pack folder (the checkpoint copies' folder)
        }
        long pid = Long.parseLong(parts[parts.length - 2]);
        if (executorPids.contains(pid)) {
          ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
          killedFolder.set(folder);
          killed.incrementAndGet();
          System.out.println("killed executor " + pid + " holding " + folder);
          return;
        }
      }
    } catch (IOException e) {
      // not created yet, or a folder removed while listed
    }
  }
}
