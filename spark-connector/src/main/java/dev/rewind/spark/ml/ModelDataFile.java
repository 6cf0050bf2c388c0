package dev.rewind.spark.ml;

import dev.rewind.storage.CorruptFileException;
import dev.rewind.storage.format.Envelope;
import dev.rewind.trainer.model.ModelConfig;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A model's data file {@code data/model.bin} on any Hadoop file system, written and read on the
 * driver without a Spark job. An {@link Envelope} of format {@link #FORMAT} (tag {@code RWMD},
 * version 1, big-endian) around: the model config JSON (int length + UTF-8 bytes), parameter count
 * and raw float bits.
 */
final class ModelDataFile {
  static final Envelope.Format FORMAT =
      new Envelope.Format("RWMD", "model data", 1, 1, ByteOrder.BIG_ENDIAN, false);
  static final String NAME = "data/model.bin";

  private ModelDataFile() {}

  /** A model's config and flat parameters. */
  record Contents(ModelConfig config, float[] parameters) {}

  static void write(String modelPath, Contents contents, Configuration conf) throws IOException {
    byte[] json = contents.config().toJson().getBytes(StandardCharsets.UTF_8);
    byte[] image =
        Envelope.write(
            FORMAT,
            out -> {
              out.writeInt(json.length);
              out.write(json);
              out.writeInt(contents.parameters().length);
              for (float f : contents.parameters()) {
                out.writeInt(Float.floatToRawIntBits(f));
              }
            });
    Path file = new Path(modelPath, NAME);
    FileSystem fs = file.getFileSystem(conf);
    try (FSDataOutputStream stream = fs.create(file, false)) {
      stream.write(image);
    }
  }

  static Contents read(String modelPath, Configuration conf) throws IOException {
    Path file = new Path(modelPath, NAME);
    byte[] bytes;
    try (var in = file.getFileSystem(conf).open(file)) {
      bytes = in.readAllBytes();
    }
    String source = file.toString();
    return Envelope.read(
        FORMAT,
        bytes,
        source,
        (in, version) -> {
          int jsonLength = in.readInt();
          if (jsonLength < 0 || jsonLength > in.available()) {
            throw new CorruptFileException(
                source,
                FORMAT.name()
                    + ": expected a config of at most "
                    + in.available()
                    + " bytes, got "
                    + jsonLength);
          }
          byte[] json = in.readNBytes(jsonLength);
          int count = in.readInt();
          if (count < 0 || (long) count * 4 > in.available()) {
            throw new CorruptFileException(
                source,
                FORMAT.name()
                    + ": expected at most "
                    + in.available() / 4
                    + " parameters, got "
                    + count);
          }
          float[] params = new float[count];
          for (int i = 0; i < count; i++) {
            params[i] = Float.intBitsToFloat(in.readInt());
          }
          return new Contents(
              ModelConfig.fromJson(new String(json, StandardCharsets.UTF_8)), params);
        });
  }
}
