package dev.rewind.spark;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A real tmpfs of a few KiB mounted for one test; tests that need it are skipped without root. */
public final class SmallTmpfs implements AutoCloseable {
  private final Path mountPoint;

  private SmallTmpfs(Path mountPoint) {
    this.mountPoint = mountPoint;
  }

  /** Mounts a tmpfs of {@code size} (mount's syntax: "64k") at {@code mountPoint}. */
  public static SmallTmpfs mount(Path mountPoint, String size) throws Exception {
    Files.createDirectories(mountPoint);
    assumeTrue(
        run(
            "mount",
            "-t",
            "tmpfs",
            "-o",
            "size=" + size + ",mode=700",
            "tmpfs",
            mountPoint.toString()),
        "needs permission to mount a " + size + " tmpfs");
    return new SmallTmpfs(mountPoint);
  }

  public Path root() {
    return mountPoint;
  }

  @Override
  public void close() throws Exception {
    if (!run("umount", mountPoint.toString())) {
      throw new IOException("umount " + mountPoint + " failed");
    }
  }

  private static boolean run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getInputStream().readAllBytes();
    return process.waitFor() == 0;
  }
}
