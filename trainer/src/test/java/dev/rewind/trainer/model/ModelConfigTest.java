package dev.rewind.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelConfigTest {

  @Test
  void roundTripsThroughJson() {
    ModelConfig config =
        new ModelConfig(
            128,
            List.of(new LayerConfig(512, true), new LayerConfig(64, false, 0.9)),
            10,
            new Surrogate.Triangle(0.25),
            1.5,
            0.8);
    assertEquals(config, ModelConfig.fromJson(config.toJson()));
  }

  @Test
  void writesTheLossHeadOnlyWhereItIsNotTheMean() {
    ModelConfig mean =
        new ModelConfig(3, List.of(new LayerConfig(4, true)), 2, new Surrogate.FastSigmoid(10));
    assertFalse(mean.toJson().contains("loss"), mean.toJson());
    ModelConfig last = mean.withLoss(LossSpec.parse("last:25"));
    assertTrue(last.toJson().contains("\"loss\":\"last:25\""), last.toJson());
    assertEquals(last, ModelConfig.fromJson(last.toJson()));
    assertEquals(mean, ModelConfig.fromJson(mean.toJson()));
    assertEquals(25, last.loss().window(100));
    ModelConfig perStep = mean.withLoss(LossSpec.parse("per-step"));
    assertTrue(perStep.toJson().contains("\"loss\":\"per-step\""), perStep.toJson());
    assertEquals(perStep, ModelConfig.fromJson(perStep.toJson()));
  }

  @Test
  void writesTrainableTimeConstantsOnlyWhereTheyAreAndStartsThemAtTheFixedLeaks() {
    ModelConfig fixed =
        new ModelConfig(
            3,
            List.of(
                LayerConfig.adaptive(4, true, LayerConfig.betaOf(30), 0.5, 300),
                new LayerConfig(2, false)),
            2,
            new Surrogate.FastSigmoid(10));
    assertFalse(fixed.toJson().contains("train"), fixed.toJson());
    assertFalse(fixed.trainsTimeConstants());
    ModelConfig trainable = fixed.withTrainTau(true);
    assertTrue(trainable.toJson().contains("\"trainTau\":true"), trainable.toJson());
    assertTrue(trainable.toJson().contains("\"trainReadoutTau\":true"), trainable.toJson());
    assertEquals(trainable, ModelConfig.fromJson(trainable.toJson()));
    assertEquals(fixed, trainable.withTrainTau(false));
    ParameterLayout layout = new ParameterLayout(trainable);
    assertEquals(
        List.of("W1", "R1", "b1", "q1", "p1", "W2", "b2", "q2", "Wo", "bo", "qo"),
        layout.views().stream().map(TensorView::name).toList());
    Parameters p = Parameters.initialise(trainable, 3, InitScheme.DEFAULT);
    assertEquals(
        LayerConfig.betaOf(30),
        LayerConfig.sigmoid(p.data()[layout.view("q1").offset()]),
        1e-6,
        "q starts at the logit of the fixed leak");
    assertEquals(
        LayerConfig.betaOf(300),
        LayerConfig.sigmoid(p.data()[layout.view("p1").offset() + 3]),
        1e-6);
    assertEquals(
        ModelConfig.DEFAULT_BETA_OUT,
        LayerConfig.sigmoid(p.data()[layout.view("qo").offset() + 1]),
        1e-6);
    // The weights are drawn as for the fixed model: the time constants take no draws.
    Parameters w = Parameters.initialise(fixed, 3, InitScheme.DEFAULT);
    assertEquals(
        w.data()[w.layout().view("W2").offset() + 5], p.data()[layout.view("W2").offset() + 5]);
  }

  @Test
  void refusesALossHeadItCannotRead() {
    for (String bad : List.of("last:0", "last:", "last:-3", "last:x", "first:2", "Mean")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> LossSpec.parse(bad));
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
    IllegalArgumentException json =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ModelConfig.fromJson(
                    "{\"inputSize\":4,\"layers\":[{\"size\":8}],\"classes\":3,"
                        + "\"loss\":\"last:0\"}"));
    assertTrue(json.getMessage().contains("last:0"), json.getMessage());
    IllegalArgumentException tooLong =
        assertThrows(IllegalArgumentException.class, () -> new LossSpec(50).window(40));
    assertTrue(tooLong.getMessage().contains("last:50"), tooLong.getMessage());
    assertTrue(tooLong.getMessage().contains("40 steps"), tooLong.getMessage());
  }

  @Test
  void appliesSpecDefaults() {
    ModelConfig config =
        ModelConfig.fromJson(
            "{\"inputSize\":4,\"layers\":[{\"size\":8,\"recurrent\":true}],\"classes\":3,"
                + "\"surrogate\":{\"kind\":\"fast_sigmoid\"}}");
    assertEquals(Math.exp(-1.0 / 20), config.layers().get(0).beta());
    assertEquals(Math.exp(-1.0 / 20), config.betaOut());
    assertEquals(1.0, config.theta());
    assertEquals(new Surrogate.FastSigmoid(10.0), config.surrogate());
    assertEquals(
        new Surrogate.Triangle(0.5),
        ModelConfig.fromJson(
                "{\"inputSize\":4,\"layers\":[{\"size\":8}],\"classes\":3,"
                    + "\"surrogate\":{\"kind\":\"triangle\"}}")
            .surrogate());
  }

  @Test
  void layoutNamesAndShapesFollowTheSpec() {
    ModelConfig config =
        new ModelConfig(
            3,
            List.of(new LayerConfig(4, true), new LayerConfig(5, false)),
            2,
            new Surrogate.FastSigmoid(10));
    ParameterLayout layout = new ParameterLayout(config);
    assertEquals(
        List.of("W1", "R1", "b1", "W2", "b2", "Wo", "bo"),
        layout.views().stream().map(TensorView::name).toList());
    assertEquals(List.of(4, 3), layout.view("W1").shape());
    assertEquals(List.of(4, 4), layout.view("R1").shape());
    assertEquals(List.of(5, 4), layout.view("W2").shape());
    assertEquals(List.of(2, 5), layout.view("Wo").shape());
    assertEquals(List.of(2), layout.view("bo").shape());
    assertEquals(12 + 16 + 4 + 20 + 5 + 10 + 2, layout.size());
    assertEquals(12 + 16 + 4, layout.view("W2").offset());
  }

  @Test
  void initialisationIsSeeded() {
    ModelConfig config =
        new ModelConfig(3, List.of(new LayerConfig(4, true)), 2, new Surrogate.FastSigmoid(10));
    float[] a = Parameters.initialise(config, 5, InitScheme.DEFAULT).data();
    float[] b = Parameters.initialise(config, 5, InitScheme.DEFAULT).data();
    org.junit.jupiter.api.Assertions.assertArrayEquals(a, b);
  }
}
