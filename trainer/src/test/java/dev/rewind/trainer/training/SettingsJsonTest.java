package dev.rewind.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.trainer.model.InitScheme;
import dev.rewind.trainer.model.LayerConfig;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.ModelSetup;
import dev.rewind.trainer.model.ParameterLayout;
import dev.rewind.trainer.model.Surrogate;
import dev.rewind.trainer.model.TensorView;
import dev.rewind.trainer.optim.AdamConfig;
import dev.rewind.trainer.optim.LearningRatePolicy;
import dev.rewind.trainer.optim.SgdConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model and training values round-trip through JSON and refuse bad values naming them. */
class SettingsJsonTest {

  @Test
  void aModelSetupRoundTripsThroughJson() {
    ModelSetup setup =
        new ModelSetup(
            new ModelConfig(
                7,
                List.of(
                    new LayerConfig(5, true, LayerConfig.betaOf(200)),
                    new LayerConfig(3, false, LayerConfig.betaOf(35))),
                4,
                new Surrogate.Triangle(0.3),
                1.5,
                LayerConfig.betaOf(12)),
            new InitScheme(40, 1, 2.5),
            -3);
    assertEquals(setup, ModelSetup.fromJson(setup.toJson()));
    org.junit.jupiter.api.Assertions.assertArrayEquals(
        setup.initialParameters().data(),
        ModelSetup.fromJson(setup.toJson()).initialParameters().data());
  }

  @Test
  void aTrainingConfigRoundTripsThroughJson() {
    for (TrainingConfig t :
        List.of(
            new TrainingConfig(
                3, 32, AdamConfig.defaults(0.02), new LearningRatePolicy.Cosine(20, 0.1), 0, 250),
            new TrainingConfig(
                1,
                1,
                new SgdConfig(0.1, 0.9, true, 1e-4),
                new LearningRatePolicy.Constant(),
                2.5,
                0))) {
      assertEquals(t, TrainingConfig.fromJson(t.toJson()));
      assertFalse(t.toJson().contains("timeConstantRate"), "the default rate stays out");
      TrainingConfig slow = t.withTimeConstantRate(0.01);
      assertTrue(slow.toJson().contains("\"timeConstantRate\":0.01"), slow.toJson());
      assertEquals(slow, TrainingConfig.fromJson(slow.toJson()));
    }
  }

  @Test
  void theTimeConstantsRateFactorCoversExactlyQPAndQo() {
    ModelConfig model =
        new ModelConfig(
                3,
                List.of(
                    LayerConfig.adaptive(4, true, LayerConfig.betaOf(30), 0.5, 300),
                    new LayerConfig(2, false)),
                2,
                new Surrogate.FastSigmoid(10))
            .withTrainTau(true);
    ParameterLayout layout = new ParameterLayout(model);
    TrainingConfig base =
        new TrainingConfig(1, 1, AdamConfig.defaults(0.1), new LearningRatePolicy.Constant(), 0, 0);
    assertNull(base.rateFactors(layout), "factor 1: no factors at all");
    assertNull(
        base.withTimeConstantRate(0.5).rateFactors(new ParameterLayout(model.withTrainTau(false))),
        "no time constants to scale");
    float[] f = base.withTimeConstantRate(0.5).rateFactors(layout);
    for (TensorView v : layout.views()) {
      float expected = v.name().matches("q1|p1|q2|qo") ? 0.5f : 1f;
      for (int i = v.offset(); i < v.offset() + v.size(); i++) {
        assertEquals(expected, f[i], v.name());
      }
    }
    assertThrows(IllegalArgumentException.class, () -> base.withTimeConstantRate(0));
  }

  @Test
  void timeConstantsGiveBackTheirLeakBitForBit() {
    for (double tau : new double[] {1.5, 20, 200, 333.3, 5000}) {
      double beta = LayerConfig.betaOf(tau);
      assertEquals(beta, LayerConfig.betaOf(LayerConfig.tauOf(beta)));
    }
  }

  @Test
  void badValuesFailNamingTheField() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TrainingConfig.fromJson(
                    "{\"epochs\":2,\"batchSize\":0,\"optimizer\":{\"kind\":\"adam\","
                        + "\"learningRate\":0.1,\"beta1\":0.9,\"beta2\":0.99,\"epsilon\":1e-8,"
                        + "\"weightDecay\":0}}"));
    assertTrue(e.getMessage().startsWith("batchSize"), e.getMessage());
    var warm =
        assertThrows(
            IllegalArgumentException.class,
            () -> new LearningRatePolicy.Cosine(50, 0).schedule(40));
    assertTrue(warm.getMessage().startsWith("warmupSteps"), warm.getMessage());
  }
}
