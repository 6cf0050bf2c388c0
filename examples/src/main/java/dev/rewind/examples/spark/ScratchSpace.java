package dev.rewind.examples.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The scratch folders of embedded Spark masters ({@code rewind-spark-*} under the temporary
 * directory, holding Spark's local dirs and so the off-chip checkpoints): each records the process
 * that owns it, and a new one first removes those whose owner is no longer alive, which a killed
 * JVM leaves. A folder without an owner record is removed only once it is a day old; a live owner's
 * folder is never touched.
 */
final class ScratchSpace {
  static final String PREFIX = "rewind-spark-";
  static final String OWNER = "owner.pid";
  private static final Duration UNOWNED_AGE = Duration.ofDays(1);

  private ScratchSpace() {}

  /** Removes stale scratch folders under {@code parent}, then creates one owned by this JVM. */
  static Path create(Path parent) throws IOException {
    sweep(parent);
    Path dir =
        Files.createTempDirectory(
            parent,
            PREFIX,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Files.writeString(
        dir.resolve(OWNER),
        Long.toString(ProcessHandle.current().pid()),
        StandardCharsets.US_ASCII);
    return dir;
  }

  /** Removes the scratch folders under {@code parent} that no live process owns. */
  static void sweep(Path parent) throws IOException {
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(parent, PREFIX + "*")) {
      for (Path dir : dirs) {
        if (Files.isDirectory(dir) && stale(dir)) {
          try {
            Hadoop.deleteLocal(dir);
          } catch (IOException e) {
            // another process may be sweeping it, or it is not ours to remove
          }
        }
      }
    }
  }

  private static boolean stale(Path dir) throws IOException {
    Optional<Long> owner = owner(dir);
    if (owner.isPresent()) {
      return ProcessHandle.of(owner.get()).map(p -> !p.isAlive()).orElse(true);
    }
    Instant modified = Files.getLastModifiedTime(dir).toInstant();
    return modified.isBefore(Instant.now().minus(UNOWNED_AGE));
  }

  private static Optional<Long> owner(Path dir) {
    try {
      return Optional.of(
          Long.parseLong(Files.readString(dir.resolve(OWNER), StandardCharsets.US_ASCII).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
