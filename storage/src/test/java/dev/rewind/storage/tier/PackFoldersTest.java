package dev.rewind.storage.tier;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** What the next run on a root sweeps of the pack folders earlier JVMs left. */
class PackFoldersTest {

  @Test
  void foldersOfDeadOrLongSilentOwnersGoAndLiveOnesStay() throws Exception {
    Path base = Path.of("target", "pack-folders-test");
    Files.createDirectories(base);
    Path root = Files.createTempDirectory(base, "sweep");
    try (LocalPackFiles files = new LocalPackFiles(root)) {
      String mine = PackFolders.create(files);
      String[] parts = mine.substring(PackFolders.PREFIX.length()).split("_");
      String host = parts[0];
      String dead = PackFolders.PREFIX + host + "_" + deadPid() + "_1";
      String foreignFresh = PackFolders.PREFIX + "other-host_1234_2";
      String foreignOld = PackFolders.PREFIX + "other-host_1234_3";
      String unrelated = "rewind-something-else";
      for (String folder : List.of(dead, foreignFresh, foreignOld)) {
        files.createFolder(folder);
        try (PackFiles.Output out = files.create(folder, "pack-000000.rwp")) {
          out.append(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}));
        }
      }
      Files.createDirectory(root.resolve(unrelated));
      FileTime twoDaysAgo = FileTime.from(Instant.now().minus(Duration.ofDays(2)));
      Files.setLastModifiedTime(root.resolve(foreignOld).resolve("pack-000000.rwp"), twoDaysAgo);
      Files.setLastModifiedTime(root.resolve(foreignOld), twoDaysAgo);

      assertEquals(2, PackFolders.sweep(root));

      assertEquals(Set.of(mine, foreignFresh, unrelated), names(root));
    }
  }

  private static long deadPid() throws Exception {
    Process process = new ProcessBuilder("true").start();
    process.waitFor();
    return process.pid();
  }

  private static Set<String> names(Path root) throws IOException {
    Set<String> names = new TreeSet<>();
    try (var dirs = Files.list(root)) {
      dirs.forEach(d -> names.add(d.getFileName().toString()));
    }
    return names;
  }

  @Test
  void theFolderOfAKilledJvmIsSweptByTheNextTierOnTheRoot() throws Exception {
    Path base = Path.of("target", "pack-folders-test");
    Files.createDirectories(base);
    Path root = Files.createTempDirectory(base, "killed").toAbsolutePath();
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                PackWriterChild.class.getName(),
                root.toString())
            .redirectErrorStream(true)
            .start();
    try (var lines =
        new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream()))) {
      assertEquals("ready", lines.readLine());
    }
    child.destroyForcibly().waitFor();
    Set<String> left = names(root);
    assertEquals(1, left.size(), "the killed JVM's folder: " + left);
    assertEquals(1, Files.list(root.resolve(left.iterator().next())).count(), "its pack file");

    try (PackTier next = PackTier.local(root, PackTier.DEFAULT_PACK_BYTES)) {
      assertEquals(Set.of(next.folder()), names(root), "only the new tier's folder");
    }
    assertEquals(Set.of(), names(root));
  }
}
