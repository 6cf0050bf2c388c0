package dev.rewind.storage.tier;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.hadoop.conf.Configuration;

/**
 * The folders of {@link PackTier}s under a root, named {@code rewind-packs_<host>_<pid>_<random>}
 * after the JVM that owns them, and their sweeping: a folder whose owner died (a killed executor or
 * driver) is removed by the next tier opened on that root. A folder of this host is stale once its
 * process is gone; one of another host, whose process cannot be checked from here, once nothing in
 * it changed for a day. A folder whose process is alive is never touched.
 */
public final class PackFolders {
  /** What every pack folder's name starts with. */
  public static final String PREFIX = "rewind-packs_";

  /** Age after which a folder of another host counts as abandoned. */
  static final Duration FOREIGN_AGE = Duration.ofDays(1);

  private static final String HOST = hostName();

  /** Roots swept by this JVM already: one sweep per root and JVM serves every later tier. */
  private static final Set<String> SWEPT = ConcurrentHashMap.newKeySet();

  private PackFolders() {}

  /** Removes the stale pack folders under a local root; returns how many it removed. */
  public static int sweep(Path root) throws IOException {
    try (PackFiles files = new LocalPackFiles(root)) {
      return sweep(files, Instant.now());
    }
  }

  /** Removes the stale pack folders under a Hadoop root; returns how many it removed. */
  public static int sweep(URI root, Configuration conf) throws IOException {
    try (PackFiles files = new HadoopPackFiles(root, conf)) {
      return sweep(files, Instant.now());
    }
  }

  static void sweepOnce(PackFiles files) throws IOException {
    if (SWEPT.add(files.name())) {
      sweep(files, Instant.now());
    }
  }

  static int sweep(PackFiles files, Instant now) throws IOException {
    int removed = 0;
    for (String folder : files.folders(PREFIX)) {
      try {
        if (stale(files, folder, now)) {
          files.deleteFolder(folder);
          removed++;
        }
      } catch (IOException e) {
        // another process is sweeping it, or it went meanwhile
      }
    }
    return removed;
  }

  /** Creates a new folder owned by this JVM and returns its name. */
  static String create(PackFiles files) throws IOException {
    String folder =
        PREFIX
            + HOST
            + "_"
            + ProcessHandle.current().pid()
            + "_"
            + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    files.createFolder(folder);
    return folder;
  }

  private static boolean stale(PackFiles files, String folder, Instant now) throws IOException {
    String[] parts = folder.substring(PREFIX.length()).split("_");
    Optional<Long> pid = parts.length == 3 ? parsePid(parts[1]) : Optional.empty();
    if (pid.isPresent() && parts[0].equals(HOST)) {
      return ProcessHandle.of(pid.get()).map(p -> !p.isAlive()).orElse(true);
    }
    return files.lastModified(folder).isBefore(now.minus(FOREIGN_AGE));
  }

  private static Optional<Long> parsePid(String text) {
    try {
      return Optional.of(Long.parseLong(text));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** This host's name with only letters, digits, dots and dashes: it is part of a file name. */
  private static String hostName() {
    String name;
    try {
      name = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      name = "unknown-host";
    }
    return name.replaceAll("[^A-Za-z0-9.-]", "-");
  }
}
