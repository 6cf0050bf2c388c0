package dev.rewind.storage;

import dev.rewind.storage.format.BlobCodec;
import dev.rewind.storage.format.FloatCompression;
import java.io.Closeable;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The blobs of one file a {@link BlobBundleWriter} published, read back by any process: each record
 * is a key's path and the blob's image, which carries its own checksum. Opening scans the records
 * once to index them; {@link #get} reads one. A missing bundle or key throws {@link
 * BlobNotFoundException}, damaged bytes {@link CorruptFileException}, naming the file. Read-only:
 * closing deletes nothing. Not thread-safe.
 */
public final class BlobBundle implements Closeable {
  private static final int MAX_NAME = 4096;
  private final Path file;
  private final FSDataInputStream in;
  private final Map<String, long[]> index = new HashMap<>();
  private final BlobCodec codec = new BlobCodec(FloatCompression.NONE);

  private BlobBundle(Path file, FSDataInputStream in) {
    this.file = file;
    this.in = in;
  }

  /** Opens and indexes the bundle {@code file}, read with {@code conf}. */
  public static BlobBundle open(URI file, Configuration conf) throws IOException {
    Path path = new Path(file);
    FSDataInputStream in;
    long length;
    try {
      FileSystem fs = path.getFileSystem(conf);
      length = fs.getFileStatus(path).getLen();
      in = fs.open(path);
    } catch (FileNotFoundException e) {
      throw new BlobNotFoundException("blob bundle " + path);
    }
    BlobBundle bundle = new BlobBundle(path, in);
    try {
      bundle.scan(length);
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
    return bundle;
  }

  private void scan(long length) throws IOException {
    long pos = 0;
    try {
      while (pos < length) {
        int nameLength = in.readInt();
        if (nameLength <= 0 || nameLength > MAX_NAME) {
          throw new CorruptFileException(
              file.toString(), "record at byte " + pos + ": key length " + nameLength);
        }
        byte[] name = new byte[nameLength];
        in.readFully(name);
        int imageLength = in.readInt();
        long image = pos + 8 + nameLength;
        if (imageLength <= 0 || image + imageLength > length) {
          throw new CorruptFileException(
              file.toString(), "record at byte " + pos + ": image length " + imageLength);
        }
        index.put(new String(name, StandardCharsets.UTF_8), new long[] {image, imageLength});
        pos = image + imageLength;
        in.seek(pos);
      }
    } catch (EOFException e) {
      throw new CorruptFileException(file.toString(), "truncated record at byte " + pos, e);
    }
  }

  /** The blob stored under {@code key}. */
  public Blob get(BlobKey key) throws IOException {
    long[] at = index.get(key.relativePath());
    if (at == null) {
      throw new BlobNotFoundException(file + " (key " + key.relativePath() + ")");
    }
    byte[] image = new byte[(int) at[1]];
    in.readFully(at[0], image);
    return codec.decode(image, file + " (key " + key.relativePath() + ")");
  }

  /** The float blob stored under {@code key}. */
  public FloatBlock getFloats(BlobKey key) throws IOException {
    return expect(key, FloatBlock.class);
  }

  /** The spike frame stored under {@code key}. */
  public SpikeFrame getSpikes(BlobKey key) throws IOException {
    return expect(key, SpikeFrame.class);
  }

  private <T extends Blob> T expect(BlobKey key, Class<T> type) throws IOException {
    Blob blob = get(key);
    if (!type.isInstance(blob)) {
      throw new IllegalArgumentException(
          "blob bundle "
              + file
              + ", key "
              + key.relativePath()
              + ": expected a "
              + type.getSimpleName()
              + ", got a "
              + blob.getClass().getSimpleName());
    }
    return type.cast(blob);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
