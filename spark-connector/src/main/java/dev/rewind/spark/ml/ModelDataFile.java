package dev.rewind.spark.ml;

import dev.rewind.trainer.model.ModelConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A model's data file {@code data/model.bin} on any Hadoop file system, written and read on the
 * driver without a Spark job. Layout (big-endian): magic {@code RWMD}, version 1, the model config
 * JSON (int length + UTF-8 bytes), parameter count, raw float bits, CRC32C of everything before it.
 */
final class ModelDataFile {
  private static final int MAGIC = 0x52574D44;
  private static final short VERSION = 1;
  static final String NAME = "data/model.bin";

  private ModelDataFile() {}

  /** A model's config and flat parameters. */
  record Contents(ModelConfig config, float[] parameters) {}

  static void write(String modelPath, Contents contents, Configuration conf) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(MAGIC);
    out.writeShort(VERSION);
    byte[] json = contents.config().toJson().getBytes(StandardCharsets.UTF_8);
    out.writeInt(json.length);
    out.write(json);
    out.writeInt(contents.parameters().length);
    for (float f : contents.parameters()) {
      out.writeInt(Float.floatToRawIntBits(f));
    }
    out.flush();
    CRC32C crc = new CRC32C();
    crc.update(bytes.toByteArray());
    out.writeInt((int) crc.getValue());
    Path file = new Path(modelPath, NAME);
    FileSystem fs = file.getFileSystem(conf);
    try (FSDataOutputStream stream = fs.create(file, false)) {
      stream.write(bytes.toByteArray());
    }
  }

  static Contents read(String modelPath, Configuration conf) throws IOException {
    Path file = new Path(modelPath, NAME);
    byte[] bytes;
    try (var in = file.getFileSystem(conf).open(file)) {
      bytes = in.readAllBytes();
    }
    String source = file.toString();
    if (bytes.length < 10) {
      throw corrupt(source, "expected at least 10 bytes, got " + bytes.length);
    }
    int body = bytes.length - 4;
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, body);
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, body));
    int magic = in.readInt();
    if (magic != MAGIC) {
      throw corrupt(source, String.format("expected magic 0x%08x, got 0x%08x", MAGIC, magic));
    }
    short version = in.readShort();
    if (version != VERSION) {
      throw corrupt(source, "expected format version " + VERSION + ", got " + version);
    }
    int stored = ByteBuffer.wrap(bytes, body, 4).getInt();
    if (stored != (int) crc.getValue()) {
      throw corrupt(
          source,
          String.format(
              "checksum failed: expected=0x%08x actual=0x%08x", stored, (int) crc.getValue()));
    }
    try {
      byte[] json = new byte[in.readInt()];
      in.readFully(json);
      float[] params = new float[in.readInt()];
      for (int i = 0; i < params.length; i++) {
        params[i] = Float.intBitsToFloat(in.readInt());
      }
      return new Contents(ModelConfig.fromJson(new String(json, StandardCharsets.UTF_8)), params);
    } catch (EOFException | NegativeArraySizeException e) {
      throw corrupt(source, "truncated: unexpected end of data");
    }
  }

  private static StreamCorruptedException corrupt(String source, String problem) {
    return new StreamCorruptedException("model data " + source + ": " + problem);
  }
}
