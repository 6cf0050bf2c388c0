package dev.rewind.spark.internal.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.storage.format.Envelope;
import dev.rewind.trainer.optim.OptimizerStateCodec;
import dev.rewind.trainer.training.EpochResult;
import dev.rewind.trainer.training.StepMetrics;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Saves and loads {@link TrainingState} under a Hadoop directory. Each save writes {@code
 * state-<globalStep>.bin} through a temporary file and a rename (so a reader never sees a partial
 * state), then deletes older states; {@link #latest()} reads the newest. A file is an {@link
 * Envelope} of format {@link #FORMAT} (tag {@code RWTS}, version 2, big-endian) around: fingerprint
 * (UTF), epoch, step in epoch (int), global step (long), parameter count and raw float bits,
 * optimizer state bytes ({@link OptimizerStateCodec}) with their length, and the metrics history as
 * JSON ({@code {"history":[...],"epochs":[...]}}) with its length. Files are owner-only.
 */
public final class TrainingStateStore {
  static final Envelope.Format FORMAT =
      new Envelope.Format("RWTS", "training state", 2, 2, ByteOrder.BIG_ENDIAN, false);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "state-";
  private static final String SUFFIX = ".bin";
  private static final FsPermission OWNER_ONLY = new FsPermission((short) 0600);
  private final Path dir;
  private final FileSystem fs;

  public TrainingStateStore(String directory, Configuration conf) throws IOException {
    this.dir = new Path(directory);
    this.fs = dir.getFileSystem(conf);
  }

  public void save(TrainingState state) throws IOException {
    fs.mkdirs(dir, new FsPermission((short) 0700));
    Path target = new Path(dir, PREFIX + state.globalStep() + SUFFIX);
    Path temp = new Path(dir, "_tmp-" + state.globalStep() + SUFFIX);
    byte[] bytes = encode(state);
    try (FSDataOutputStream out =
        fs.create(
            temp,
            OWNER_ONLY,
            true,
            4096,
            fs.getDefaultReplication(temp),
            fs.getDefaultBlockSize(temp),
            null)) {
      out.write(bytes);
    } catch (IOException | RuntimeException e) {
      fs.delete(temp, false);
      throw e;
    }
    fs.delete(target, false);
    if (!fs.rename(temp, target)) {
      throw new IOException("training state: could not rename " + temp + " to " + target);
    }
    for (Path old : states()) {
      if (!old.equals(target) && step(old) < state.globalStep()) {
        fs.delete(old, false);
      }
    }
  }

  /** The newest saved state, if any. */
  public Optional<TrainingState> latest() throws IOException {
    List<Path> all = states();
    if (all.isEmpty()) {
      return Optional.empty();
    }
    Path newest = all.get(0);
    for (Path p : all) {
      if (step(p) > step(newest)) {
        newest = p;
      }
    }
    byte[] bytes;
    try (var in = fs.open(newest)) {
      bytes = in.readAllBytes();
    }
    return Optional.of(decode(bytes, newest.toString()));
  }

  private List<Path> states() throws IOException {
    List<Path> out = new ArrayList<>();
    if (!fs.exists(dir)) {
      return out;
    }
    for (FileStatus s : fs.listStatus(dir)) {
      String name = s.getPath().getName();
      if (name.startsWith(PREFIX) && name.endsWith(SUFFIX)) {
        out.add(s.getPath());
      }
    }
    return out;
  }

  private static long step(Path p) {
    String name = p.getName();
    return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
  }

  static byte[] encode(TrainingState state) {
    return Envelope.write(
        FORMAT,
        out -> {
          out.writeUTF(state.fingerprint());
          out.writeInt(state.epoch());
          out.writeInt(state.stepInEpoch());
          out.writeLong(state.globalStep());
          out.writeInt(state.parameters().length);
          for (float f : state.parameters()) {
            out.writeInt(Float.floatToRawIntBits(f));
          }
          byte[] optimizer = OptimizerStateCodec.encode(state.optimizer());
          out.writeInt(optimizer.length);
          out.write(optimizer);
          byte[] history = JSON.writeValueAsBytes(new History(state.history(), state.epochs()));
          out.writeInt(history.length);
          out.write(history);
        });
  }

  static TrainingState decode(byte[] bytes, String source) throws IOException {
    return Envelope.read(
        FORMAT,
        bytes,
        source,
        (in, version) -> {
          String fingerprint = in.readUTF();
          int epoch = in.readInt();
          int stepInEpoch = in.readInt();
          long globalStep = in.readLong();
          float[] params = new float[in.readInt()];
          for (int i = 0; i < params.length; i++) {
            params[i] = Float.intBitsToFloat(in.readInt());
          }
          byte[] optimizer = new byte[in.readInt()];
          in.readFully(optimizer);
          byte[] json = new byte[in.readInt()];
          in.readFully(json);
          History history = JSON.readValue(json, History.class);
          return new TrainingState(
              fingerprint,
              epoch,
              stepInEpoch,
              globalStep,
              params,
              OptimizerStateCodec.decode(optimizer, source),
              history.history(),
              history.epochs());
        });
  }

  /** The metrics part of a state file. */
  private record History(List<StepMetrics> history, List<EpochResult> epochs) {}
}
