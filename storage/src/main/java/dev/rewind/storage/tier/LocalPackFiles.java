package dev.rewind.storage.tier;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Pack files under a local directory, read and written through file channels. */
final class LocalPackFiles implements PackFiles {
  private static final Set<PosixFilePermission> FILE_MODE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> DIR_MODE =
      PosixFilePermissions.fromString("rwx------");

  private final Path root;
  private final boolean posix;

  LocalPackFiles(Path root) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    this.posix = this.root.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (!Files.isDirectory(this.root)) {
      Files.createDirectories(this.root, attributes(DIR_MODE));
    }
  }

  @Override
  public String name() {
    return "local:" + root;
  }

  @Override
  public void createFolder(String folder) throws IOException {
    Files.createDirectory(root.resolve(folder), attributes(DIR_MODE));
  }

  @Override
  public void deleteFolder(String folder) throws IOException {
    Path dir = root.resolve(folder);
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(file);
      }
    }
    Files.deleteIfExists(dir);
  }

  @Override
  public List<String> folders(String prefix) throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, prefix + "*")) {
      for (Path dir : dirs) {
        if (Files.isDirectory(dir)) {
          names.add(dir.getFileName().toString());
        }
      }
    }
    return names;
  }

  @Override
  public Instant lastModified(String folder) throws IOException {
    Path dir = root.resolve(folder);
    Instant newest = Files.getLastModifiedTime(dir).toInstant();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        try {
          Instant modified = Files.getLastModifiedTime(file).toInstant();
          newest = modified.isAfter(newest) ? modified : newest;
        } catch (NoSuchFileException e) {
          // removed while listed
        }
      }
    }
    return newest;
  }

  @Override
  public Output create(String folder, String file) throws IOException {
    FileChannel channel =
        FileChannel.open(
            root.resolve(folder).resolve(file),
            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            attributes(FILE_MODE));
    return new Output() {
      @Override
      public void append(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
      }

      // Channel writes reach the page cache at once, where every reader sees them.
      @Override
      public void flush() {}

      @Override
      public void truncate(long length) throws IOException {
        channel.truncate(length);
        channel.position(length);
      }

      @Override
      public void close() throws IOException {
        channel.close();
      }
    };
  }

  @Override
  public Input open(String folder, String file) throws IOException {
    FileChannel channel = FileChannel.open(root.resolve(folder).resolve(file));
    return new Input() {
      @Override
      public void read(long position, ByteBuffer into) throws IOException {
        long offset = position - into.position();
        while (into.hasRemaining()) {
          if (channel.read(into, offset + into.position()) < 0) {
            throw new EOFException(
                location(folder, file) + " ends before byte " + (offset + into.limit()));
          }
        }
      }

      @Override
      public void close() throws IOException {
        channel.close();
      }
    };
  }

  @Override
  public void delete(String folder, String file) throws IOException {
    Files.deleteIfExists(root.resolve(folder).resolve(file));
  }

  @Override
  public String location(String folder, String file) {
    return root.resolve(folder).resolve(file).toString();
  }

  @Override
  public void close() {}

  private FileAttribute<?>[] attributes(Set<PosixFilePermission> mode) {
    return posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)}
        : new FileAttribute<?>[0];
  }
}
