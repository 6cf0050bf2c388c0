package dev.rewind.storage.tier;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Pack files under a root in any Hadoop FileSystem. The FileSystem is the tier's own instance
 * ({@code FileSystem.newInstance}, so closing it never disturbs the shared cache), with Hadoop's
 * checksum files turned off: the blob footer's CRC32C covers the data.
 */
final class HadoopPackFiles implements PackFiles {

  private final FileSystem fs;
  private final Path root;

  HadoopPackFiles(URI root, Configuration conf) throws IOException {
    this.fs = OwnFileSystem.open(root, conf);
    Path qualified = OwnFileSystem.qualifiedRoot(fs, root);
    this.root = qualified;
    OwnFileSystem.closeOnFailure(
        fs,
        () -> {
          if (!fs.exists(qualified)) {
            OwnFileSystem.mkdirs(fs, qualified);
          }
        });
  }

  @Override
  public String name() {
    return "hadoop:" + root;
  }

  @Override
  public void createFolder(String folder) throws IOException {
    Path dir = new Path(root, folder);
    if (fs.exists(dir)) {
      throw new IOException("pack folder " + dir + " exists already");
    }
    OwnFileSystem.mkdirs(fs, dir);
  }

  @Override
  public void deleteFolder(String folder) throws IOException {
    fs.delete(new Path(root, folder), true);
  }

  @Override
  public List<String> folders(String prefix) throws IOException {
    List<String> names = new ArrayList<>();
    for (FileStatus status : fs.listStatus(root)) {
      String name = status.getPath().getName();
      if (status.isDirectory() && name.startsWith(prefix)) {
        names.add(name);
      }
    }
    return names;
  }

  @Override
  public Instant lastModified(String folder) throws IOException {
    Path dir = new Path(root, folder);
    long newest = fs.getFileStatus(dir).getModificationTime();
    try {
      for (FileStatus file : fs.listStatus(dir)) {
        newest = Math.max(newest, file.getModificationTime());
      }
    } catch (FileNotFoundException e) {
      // removed while listed
    }
    return Instant.ofEpochMilli(newest);
  }

  @Override
  public Output create(String folder, String file) throws IOException {
    Path path = new Path(new Path(root, folder), file);
    FSDataOutputStream out = OwnFileSystem.createPrivate(fs, path);
    return new Output() {
      @Override
      public void append(ByteBuffer bytes) throws IOException {
        try {
          if (bytes.hasArray()) {
            out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            bytes.position(bytes.limit());
          } else {
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            out.write(copy);
          }
        } catch (FSError e) {
          throw OwnFileSystem.asIoException(path, e);
        }
      }

      @Override
      public void flush() throws IOException {
        try {
          out.hflush();
        } catch (FSError e) {
          throw OwnFileSystem.asIoException(path, e);
        }
      }

      // An output stream cannot take bytes back: the tail stays, unindexed, until the pack goes.
      @Override
      public void truncate(long length) {}

      @Override
      public void close() throws IOException {
        try {
          out.close();
        } catch (FSError e) {
          throw OwnFileSystem.asIoException(path, e);
        }
      }
    };
  }

  @Override
  public Input open(String folder, String file) throws IOException {
    Path path = new Path(new Path(root, folder), file);
    FSDataInputStream in = fs.open(path, OwnFileSystem.BUFFER);
    return new Input() {
      @Override
      public void read(long position, ByteBuffer into) throws IOException {
        int length = into.remaining();
        byte[] bytes = into.hasArray() ? into.array() : new byte[length];
        int offset = into.hasArray() ? into.arrayOffset() + into.position() : 0;
        try {
          in.readFully(position, bytes, offset, length);
        } catch (FSError e) {
          throw OwnFileSystem.asIoException(path, e);
        } catch (EOFException e) {
          EOFException named =
              new EOFException(path + " ends before byte " + (position + length) + ": " + e);
          named.initCause(e);
          throw named;
        }
        if (into.hasArray()) {
          into.position(into.limit());
        } else {
          into.put(bytes);
        }
      }

      @Override
      public void close() throws IOException {
        in.close();
      }
    };
  }

  @Override
  public void delete(String folder, String file) throws IOException {
    fs.delete(new Path(new Path(root, folder), file), false);
  }

  @Override
  public String location(String folder, String file) {
    return new Path(new Path(root, folder), file).toString();
  }

  @Override
  public void close() throws IOException {
    fs.close();
  }
}
