package dev.rewind.spark.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.trainer.training.StepMetrics;
import dev.rewind.trainer.training.TrainingListener;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes each step's {@link StepMetrics} as one JSON object per line to a Hadoop path (replacing
 * any file there), flushed after every line so a running fit can be followed.
 */
public final class JsonLinesMetricsWriter implements TrainingListener, Closeable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String path;
  private final FSDataOutputStream out;

  public JsonLinesMetricsWriter(String path, Configuration conf) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(conf);
    this.path = path;
    this.out = fs.create(p, true);
  }

  @Override
  public void onStep(StepMetrics metrics) {
    try {
      out.write(JSON.writeValueAsBytes(metrics));
      out.write("\n".getBytes(StandardCharsets.UTF_8));
      out.hflush();
    } catch (IOException e) {
      throw new UncheckedIOException("metrics file " + path + ": write failed", e);
    }
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
