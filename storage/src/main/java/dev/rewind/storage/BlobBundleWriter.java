package dev.rewind.storage;

import dev.rewind.storage.format.BlobCodec;
import dev.rewind.storage.format.Envelope;
import dev.rewind.storage.format.FloatCompression;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes a {@link BlobBundle}: blobs appended to one file of any Hadoop FileSystem, for another
 * process to read back once this one is gone. One file however many blobs, since creating a file
 * costs milliseconds on a local disk and tens of them on HDFS. Each record is its length and an
 * {@link dev.rewind.storage.format.Envelope} image ({@link BlobBundle#FORMAT}: tag, version, the
 * key's path, the blob's own image, CRC32C). The records go to a hidden temporary file beside the
 * bundle's, renamed onto it by {@link #publish}, so that a reader finds the whole bundle or none. A
 * later record of a key replaces the earlier one. The temporary file is created at the first
 * record, so a writer that gets none costs no file operation. {@link #close} deletes what the
 * writer left, published or not. Not thread-safe.
 */
public final class BlobBundleWriter implements Closeable {
  private final FileSystem fs;
  private final Path file;
  private final Path temporary;
  private final BlobCodec codec = new BlobCodec(FloatCompression.NONE);
  private DataOutputStream out;
  private boolean created;
  private boolean ended;
  private boolean published;
  private boolean closed;
  private long bytes;

  private BlobBundleWriter(FileSystem fs, Path file, Path temporary) {
    this.fs = fs;
    this.file = file;
    this.temporary = temporary;
  }

  /** Starts the bundle {@code file} (its folders created as needed), read with {@code conf}. */
  public static BlobBundleWriter create(URI file, Configuration conf) throws IOException {
    Path path = new Path(file);
    FileSystem fs = path.getFileSystem(conf);
    Path temporary =
        new Path(
            path.getParent(),
            "."
                + path.getName()
                + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1)
                + ".tmp");
    return new BlobBundleWriter(fs, path, temporary);
  }

  private DataOutputStream out() throws IOException {
    if (ended) {
      throw new IllegalStateException("blob bundle " + file + ": published or closed already");
    }
    if (out == null) {
      created = true;
      out = new DataOutputStream(fs.create(temporary));
    }
    return out;
  }

  /** Appends {@code blob} under {@code key}. */
  public void put(BlobKey key, Blob blob) throws IOException {
    DataOutputStream o = out();
    byte[] image = codec.encode(blob);
    byte[] record =
        Envelope.write(
            BlobBundle.FORMAT,
            body -> {
              body.writeUTF(key.relativePath());
              body.writeInt(image.length);
              body.write(image);
            });
    o.writeInt(record.length);
    o.write(record);
    bytes += 4L + record.length;
  }

  /** Bytes appended so far. */
  public long bytes() {
    return bytes;
  }

  /**
   * Closes the file and makes it the bundle (empty without records), replacing one of the same
   * name.
   */
  public void publish() throws IOException {
    DataOutputStream o = out();
    out = null;
    ended = true;
    o.close();
    if (!fs.rename(temporary, file)) {
      // HDFS does not rename over a file: one a retried task published before.
      fs.delete(file, false);
      if (!fs.rename(temporary, file)) {
        throw new IOException("blob bundle: rename of " + temporary + " to " + file + " failed");
      }
    }
    published = true;
  }

  /** The bundle's location. */
  public URI location() {
    return file.toUri();
  }

  /** Deletes the bundle, published or not. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    ended = true;
    try {
      if (out != null) {
        DataOutputStream o = out;
        out = null;
        o.close();
      }
    } catch (IOException e) {
      // the temporary file goes anyway
    } finally {
      if (published) {
        fs.delete(file, false);
      } else if (created) {
        fs.delete(temporary, false);
      }
    }
  }
}
