package dev.rewind.storage.tier;

import dev.rewind.storage.Blob;
import dev.rewind.storage.BlobKey;
import dev.rewind.storage.BlobNotFoundException;
import dev.rewind.storage.CorruptFileException;
import dev.rewind.storage.FloatBlock;
import dev.rewind.storage.SpikeFrame;
import dev.rewind.storage.format.BlobCodec;
import dev.rewind.storage.format.Envelope;
import dev.rewind.storage.format.FloatCompression;
import java.io.Closeable;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The blobs of one file a {@link BlobBundleWriter} published, read back by any process. Each record
 * is its length and an {@link Envelope} image of {@link #FORMAT} whose body is the key's path, then
 * the blob's own image. Opening reads the records' headers and keys once to index them; {@link
 * #get} reads one record and checks its checksum. A missing bundle or key throws {@link
 * BlobNotFoundException}, damaged bytes {@link CorruptFileException}, naming the file. Read through
 * its own file system instance ({@link OwnFileSystem}), which closing closes; read-only: closing
 * deletes nothing. Not thread-safe.
 */
public final class BlobBundle implements Closeable {
  /** "RWBB", big-endian, version 1. */
  public static final Envelope.Format FORMAT =
      new Envelope.Format("RWBB", "blob bundle record", 1, 1, ByteOrder.BIG_ENDIAN, false);

  /** The envelope header and the key's length: what indexing reads of a record first. */
  private static final int HEAD = Envelope.HEADER_LENGTH + 2;

  private static final int MAX_KEY = 1024;
  private final Path file;
  private final FileSystem fs;
  private final FSDataInputStream in;
  private final Map<String, long[]> index = new HashMap<>();
  private final BlobCodec codec = new BlobCodec(FloatCompression.NONE);

  private BlobBundle(Path file, FileSystem fs, FSDataInputStream in) {
    this.file = file;
    this.fs = fs;
    this.in = in;
  }

  /** Opens and indexes the bundle {@code file}, read with {@code conf}. */
  public static BlobBundle open(URI file, Configuration conf) throws IOException {
    Path path = new Path(file);
    FileSystem fs = OwnFileSystem.open(file, conf);
    BlobBundle bundle;
    long length;
    try {
      length = fs.getFileStatus(path).getLen();
      bundle = new BlobBundle(path, fs, fs.open(path));
    } catch (FileNotFoundException e) {
      fs.close();
      throw new BlobNotFoundException("blob bundle " + path);
    } catch (IOException | RuntimeException e) {
      fs.close();
      throw e;
    }
    try {
      bundle.scan(length);
    } catch (IOException | RuntimeException e) {
      bundle.close();
      throw e;
    }
    return bundle;
  }

  private void scan(long length) throws IOException {
    long pos = 0;
    try {
      while (pos < length) {
        int recordLength = in.readInt();
        long record = pos + 4;
        if (recordLength < HEAD || record + recordLength > length) {
          throw new CorruptFileException(
              file.toString(), "record at byte " + pos + ": length " + recordLength);
        }
        byte[] head = new byte[HEAD];
        in.readFully(head);
        Envelope.checkHeader(ByteBuffer.wrap(head), FORMAT, file + " (record at byte " + pos + ")");
        int keyLength = ByteBuffer.wrap(head).getShort(Envelope.HEADER_LENGTH) & 0xFFFF;
        if (keyLength == 0 || keyLength > MAX_KEY || HEAD + keyLength > recordLength) {
          throw new CorruptFileException(
              file.toString(), "record at byte " + pos + ": key length " + keyLength);
        }
        byte[] key = new byte[keyLength];
        in.readFully(key);
        index.put(new String(key, StandardCharsets.UTF_8), new long[] {record, recordLength});
        pos = record + recordLength;
        in.seek(pos);
      }
    } catch (EOFException e) {
      throw new CorruptFileException(file.toString(), "truncated record at byte " + pos, e);
    }
  }

  /** The blob stored under {@code key}. */
  public Blob get(BlobKey key) throws IOException {
    String name = key.relativePath();
    long[] at = index.get(name);
    String location = file + " (key " + name + ")";
    if (at == null) {
      throw new BlobNotFoundException(location);
    }
    byte[] record = new byte[(int) at[1]];
    in.readFully(at[0], record);
    byte[] image =
        Envelope.read(
            FORMAT,
            record,
            location,
            (body, version) -> {
              body.readUTF();
              byte[] bytes = new byte[body.readInt()];
              body.readFully(bytes);
              return bytes;
            });
    return codec.decode(image, location);
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
    try (FileSystem f = fs) {
      in.close();
    }
  }
}
