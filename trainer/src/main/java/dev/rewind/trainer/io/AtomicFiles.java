package dev.rewind.trainer.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that readers see either the old file or the complete new one: the content goes
 * to a temporary sibling ({@code .<name>.<random>.tmp}, which no reader of {@code .npy} files
 * matches), is forced to disk, then atomically renamed over the target. A file system that cannot
 * rename atomically is an error, not a silent non-atomic write.
 */
final class AtomicFiles {

  /** Writes a file's content to an open channel. */
  @FunctionalInterface
  interface Content {
    void writeTo(FileChannel channel) throws IOException;
  }

  private AtomicFiles() {}

  static void write(Path target, Content content) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path temp =
        absolute.resolveSibling(
            "."
                + absolute.getFileName()
                + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + ".tmp");
    boolean moved = false;
    try {
      try (FileChannel channel =
          FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        content.writeTo(channel);
        channel.force(true);
      }
      Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(temp);
      }
    }
  }
}
