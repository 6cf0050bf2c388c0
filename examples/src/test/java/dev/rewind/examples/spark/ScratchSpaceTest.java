package dev.rewind.examples.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep removes only scratch folders no live process owns. */
class ScratchSpaceTest {

  private static Path folder(Path parent, String name, String owner) throws Exception {
    Path dir = Files.createDirectories(parent.resolve(ScratchSpace.PREFIX + name));
    Files.writeString(dir.resolve("blob"), "x");
    if (owner != null) {
      Files.writeString(dir.resolve(ScratchSpace.OWNER), owner);
    }
    return dir;
  }

  @Test
  void removesDeadOwnersAndOldUnownedFoldersOnly(@TempDir Path tmp) throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    folder(tmp, "dead", Long.toString(gone.pid()));
    folder(tmp, "live", Long.toString(ProcessHandle.current().pid()));
    folder(tmp, "unowned-young", null);
    Path old = folder(tmp, "unowned-old", null);
    Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
    Files.createDirectories(tmp.resolve("someone-else"));

    Path mine = ScratchSpace.create(tmp);

    try (var left = Files.list(tmp)) {
      assertEquals(
          List.of(
              mine.getFileName().toString(),
              ScratchSpace.PREFIX + "live",
              ScratchSpace.PREFIX + "unowned-young",
              "someone-else"),
          left.map(p -> p.getFileName().toString()).sorted().toList());
    }
    assertEquals(
        Long.toString(ProcessHandle.current().pid()),
        Files.readString(mine.resolve(ScratchSpace.OWNER)));
  }
}
