package dev.rewind.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.trainer.model.LayerConfig;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.ParameterLayout;
import dev.rewind.trainer.model.Surrogate;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model's data file as written on 2026-12-03 (commit 202a17f, version 1): a saved model of that
 * code must keep loading, and today's writer must keep writing exactly its bytes. A deliberate
 * format change, or a change of the model config's JSON, adds a new golden file and keeps this one
 * readable.
 */
class ModelDataGoldenTest {
  private static final String FILE = "golden/model-v1.bin";

  static ModelDataFile.Contents expected() {
    ModelConfig config =
        new ModelConfig(
            3,
            List.of(new LayerConfig(4, true), new LayerConfig(2, false)),
            2,
            new Surrogate.FastSigmoid(10));
    float[] parameters = new float[new ParameterLayout(config).size()];
    for (int i = 0; i < parameters.length; i++) {
      parameters[i] = (i % 7) * 0.125f - 0.5f;
    }
    parameters[0] = -0f;
    return new ModelDataFile.Contents(config, parameters);
  }

  @Test
  void readsTheFileOfVersionOne(@TempDir Path dir) throws IOException {
    Path model = dir.resolve("model");
    Files.createDirectories(model.resolve("data"));
    Files.write(model.resolve(ModelDataFile.NAME), golden());
    ModelDataFile.Contents read = ModelDataFile.read(model.toString(), new Configuration());
    assertEquals(expected().config(), read.config());
    assertArrayEquals(expected().parameters(), read.parameters());
  }

  @Test
  void writesTheBytesOfVersionOne(@TempDir Path dir) throws IOException {
    Path model = dir.resolve("model");
    ModelDataFile.write(model.toString(), expected(), new Configuration());
    assertArrayEquals(golden(), Files.readAllBytes(model.resolve(ModelDataFile.NAME)));
  }

  private static byte[] golden() throws IOException {
    try (InputStream in = ModelDataGoldenTest.class.getResourceAsStream(FILE)) {
      return in.readAllBytes();
    }
  }
}
