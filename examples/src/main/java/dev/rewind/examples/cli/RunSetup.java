package dev.rewind.examples.cli;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.trainer.model.ModelSetup;
import dev.rewind.trainer.training.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A run folder's {@code setup.json}: the model (network, init, seed) and the training settings the
 * run used, the same two values both engines and the Estimator's Params take.
 */
record RunSetup(ModelSetup model, TrainingConfig training) {
  static final String FILE = "setup.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  @JsonCreator
  static RunSetup create(
      @JsonProperty("model") JsonNode model, @JsonProperty("training") JsonNode training) {
    if (model == null || training == null) {
      throw new IllegalArgumentException(
          FILE + ": expected 'model' and 'training', got " + model + ", " + training);
    }
    return new RunSetup(
        ModelSetup.fromJson(model.toString()), TrainingConfig.fromJson(training.toString()));
  }

  String toJson() {
    return "{\"model\":" + model.toJson() + ",\"training\":" + training.toJson() + "}";
  }

  /** Reads {@code dir}'s setup.json; an unreadable or invalid one names the file. */
  static RunSetup read(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    try {
      return JSON.readValue(Files.readString(file), RunSetup.class);
    } catch (JsonProcessingException e) {
      Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
      throw new IllegalArgumentException(file + ": " + cause.getMessage(), e);
    }
  }
}
