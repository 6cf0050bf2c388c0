package dev.rewind.storage.tier;

import dev.rewind.storage.Blob;
import dev.rewind.storage.BlobKey;
import dev.rewind.storage.format.BlobCodec;
import dev.rewind.storage.format.Envelope;
import dev.rewind.storage.format.FloatCompression;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes a {@link BlobBundle}: blobs appended to one file of any Hadoop FileSystem, for another
 * process to read back once this one is gone. One file however many blobs, since creating a file
 * costs milliseconds on a local disk and tens of them on HDFS. Each record is its length and an
 * {@link Envelope} image ({@link BlobBundle#FORMAT}: tag, version, the key's path, the blob's own
 * image, CRC32C). The records go to a hidden temporary file beside the bundle's, renamed onto it by
 * {@link #publish}, so that a reader finds the whole bundle or none; files are owner-only (600,
 * folders 700) and without Hadoop's checksum files, as the Hadoop tiers write them ({@link
 * OwnFileSystem}). A later record of a key replaces the earlier one. The file system, the folders
 * and the temporary file are opened at the first record, so a writer that gets none costs no file
 * operation. {@link #close} deletes what the writer left, published or not. Not thread-safe.
 */
public final class BlobBundleWriter implements Closeable {
  private final URI uri;
  private final Configuration conf;
  private final Path file;
  private final Path temporary;
  private final BlobCodec codec = new BlobCodec(FloatCompression.NONE);
  private FileSystem fs;
  private DataOutputStream out;
  private boolean ended;
  private boolean published;
  private boolean closed;
  private long bytes;

  private BlobBundleWriter(URI uri, Configuration conf) {
    this.uri = uri;
    this.conf = conf;
    this.file = new Path(uri);
    this.temporary = new Path(file.getParent(), TierPaths.temporaryName(file.getName()));
  }

  /** Starts the bundle {@code file} (its folders created as needed), read with {@code conf}. */
  public static BlobBundleWriter create(URI file, Configuration conf) {
    return new BlobBundleWriter(file, conf);
  }

  private DataOutputStream out() throws IOException {
    if (ended) {
      throw new IllegalStateException("blob bundle " + file + ": published or closed already");
    }
    if (out == null) {
      fs = OwnFileSystem.open(uri, conf);
      OwnFileSystem.mkdirs(fs, file.getParent());
      out = new DataOutputStream(OwnFileSystem.createPrivate(fs, temporary));
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
    // A retried task may have published the same bundle before.
    OwnFileSystem.renameOver(fs, temporary, file);
    published = true;
  }

  /** Deletes the bundle, published or not, and closes the file system. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    ended = true;
    if (fs == null) {
      return;
    }
    try {
      if (out != null) {
        DataOutputStream o = out;
        out = null;
        o.close();
      }
    } catch (IOException e) {
      // the temporary file goes anyway
    }
    try {
      fs.delete(published ? file : temporary, false);
    } finally {
      fs.close();
    }
  }
}
