package dev.rewind.trainer.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Everything that fixes a network before training: its architecture and constants ({@link
 * ModelConfig}: layer sizes, recurrence and membrane leak per layer, threshold, surrogate, readout
 * leak), how its weights are drawn ({@link InitScheme}) and the seed. The one model value that the
 * JVM loop, the Spark Estimator's Params, the CLI, saved models and run folders share. JSON:
 *
 * <pre>{"network":{...ModelConfig...},"init":{"inputScale":60.0,"recurrentScale":4.0,
 *  "readoutScale":1.0},"seed":42}</pre>
 */
public record ModelSetup(ModelConfig network, InitScheme init, long seed) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public ModelSetup {
    if (network == null) {
      throw new IllegalArgumentException("model setup: expected a network, got null");
    }
    if (init == null) {
      throw new IllegalArgumentException("model setup: expected an init scheme, got null");
    }
  }

  @JsonCreator
  static ModelSetup create(
      @JsonProperty("network") ModelConfig network,
      @JsonProperty("init") InitScheme init,
      @JsonProperty("seed") Long seed) {
    return new ModelSetup(
        network, init == null ? InitScheme.DEFAULT : init, seed == null ? 42L : seed);
  }

  /** The initial parameters this setup draws. */
  public Parameters initialParameters() {
    return Parameters.initialise(network, seed, init);
  }

  /** The same setup with another architecture. */
  public ModelSetup withNetwork(ModelConfig other) {
    return new ModelSetup(other, init, seed);
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("model setup could not be written as JSON", e);
    }
  }

  /**
   * Parses and validates a setup; a malformed or invalid document is an IllegalArgumentException.
   */
  public static ModelSetup fromJson(String json) {
    try {
      return JSON.readValue(json, ModelSetup.class);
    } catch (JsonProcessingException e) {
      if (e.getCause() instanceof IllegalArgumentException iae) {
        throw iae;
      }
      throw new IllegalArgumentException("model setup JSON: " + e.getOriginalMessage(), e);
    }
  }
}
