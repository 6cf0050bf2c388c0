package dev.rewind.trainer.bptt;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rewind.trainer.model.TensorView;
import org.junit.jupiter.api.Test;

/**
 * The engine's loss and gradients against {@link NaiveReference} over many random configurations.
 *
 * <p>Tolerance, per element: |engine - reference| <= 2e-4 |reference| + 1e-5 max|tensor| + 1e-7.
 * The engine sums in float32 (eps 6e-8) over up to B x T terms per entry, in another order than the
 * double reference, and carries W^T gv and R^T gv through time as recursions; relative errors of a
 * few 1e-6 are typical and entries that are themselves sums with cancellation get an allowance
 * relative to the tensor's scale. A wrong derivative is off by O(1) relative.
 */
class ReferenceGradientTest {

  static final double RELATIVE = 2e-4;
  static final double TENSOR_RELATIVE = 1e-5;

  @Test
  void matchesNaiveReferenceOnManySmallConfigs() {
    long base = Long.getLong("rewind.seed", 20261123L);
    for (int k = 0; k < 150; k++) {
      check(RandomCase.draw(base + k, 60));
    }
  }

  /** Random configurations mixing LIF and ALIF layers (MODEL_SPEC v2). */
  @Test
  void matchesNaiveReferenceWithAdaptiveLayers() {
    long base = Long.getLong("rewind.seed", 20261204L);
    int adaptive = 0;
    for (int k = 0; k < 150; k++) {
      RandomCase c = RandomCase.draw(base + k, 60, true);
      adaptive += c.config().layers().stream().anyMatch(l -> l.adaptive()) ? 1 : 0;
      check(c);
    }
    assertTrue(adaptive > 100, adaptive + " of 150 cases have an ALIF layer");
  }

  /** The {@code last:K} loss head (MODEL_SPEC v2) on LIF and ALIF networks, K from 1 to T. */
  @Test
  void matchesNaiveReferenceWithTheLastStepsHead() {
    long base = Long.getLong("rewind.seed", 20261205L);
    for (int k = 0; k < 100; k++) {
      check(RandomCase.draw(base + k, 60, k % 2 == 1).withLastSteps());
    }
  }

  /**
   * The per-step head (MODEL_SPEC v2) on LIF and ALIF networks, a third of the steps unlabelled.
   */
  @Test
  void matchesNaiveReferenceWithThePerStepHead() {
    long base = Long.getLong("rewind.seed", 20261207L);
    for (int k = 0; k < 100; k++) {
      RandomCase c = RandomCase.draw(base + k, 60, k % 2 == 1).withStepLabels();
      check(c);
      if (k % 5 == 0) {
        check(c, 1 + k % 7);
      }
    }
  }

  /**
   * The regression head (MODEL_SPEC v2) on LIF and ALIF networks: a third of the target components
   * missing (NaN), and a fifth of the steps with none.
   */
  @Test
  void matchesNaiveReferenceWithTheRegressionHead() {
    long base = Long.getLong("rewind.seed", 20261208L);
    for (int k = 0; k < 100; k++) {
      RandomCase c = RandomCase.draw(base + k, 60, k % 2 == 1).withStepTargets();
      check(c);
      if (k % 5 == 0) {
        check(c, 1 + k % 7);
      }
    }
  }

  /**
   * Trainable time constants (MODEL_SPEC v2) on LIF and ALIF layers and the readout, mixed with
   * fixed ones, under every loss head: the gradients of q, p and qo as well as the rest.
   */
  @Test
  void matchesNaiveReferenceWithTrainableTimeConstants() {
    long base = Long.getLong("rewind.seed", 20261209L);
    for (int k = 0; k < 120; k++) {
      RandomCase c = RandomCase.draw(base + k, 60, k % 3 != 0);
      c =
          switch (k % 4) {
            case 1 -> c.withLastSteps();
            case 2 -> c.withStepLabels();
            case 3 -> c.withStepTargets();
            default -> c;
          };
      check(c.withTrainableTimeConstants());
      if (k % 6 == 0) {
        check(c.withTrainableTimeConstants(), 1 + k % 7);
      }
    }
  }

  @Test
  void matchesNaiveReferenceWithAdaptiveLayersOnLongSequences() {
    checkLongSequences(Long.getLong("rewind.seed", 778L), true);
  }

  @Test
  void matchesNaiveReferenceOnLongSequences() {
    checkLongSequences(Long.getLong("rewind.seed", 777L), false);
  }

  /** Trainable time constants and the per-step heads over 500 steps, on ALIF networks. */
  @Test
  void matchesNaiveReferenceWithTrainableTimeConstantsOnLongSequences() {
    long base = Long.getLong("rewind.seed", 779L);
    checkLongSequences(base, true, c -> c.withTrainableTimeConstants());
    checkLongSequences(base + 2, true, c -> c.withStepTargets().withTrainableTimeConstants());
    checkLongSequences(base + 4, true, c -> c.withStepLabels().withTrainableTimeConstants());
  }

  private static void checkLongSequences(long base, boolean adaptive) {
    checkLongSequences(base, adaptive, c -> c);
  }

  /** Two random models, each on 3 sequences of 500 steps, as {@code variant} makes them. */
  private static void checkLongSequences(
      long base, boolean adaptive, java.util.function.UnaryOperator<RandomCase> variant) {
    for (int k = 0; k < 2; k++) {
      RandomCase c = RandomCase.draw(base + k, 1, adaptive);
      check(
          variant.apply(
              new RandomCase(
                  c.seed(),
                  c.config(),
                  c.parameters(),
                  RandomCase.frames(
                      new java.util.SplittableRandom(c.seed()),
                      3,
                      500,
                      c.config().inputSize(),
                      c.config().classes()))));
    }
  }

  @Test
  void matchesNaiveReferenceThroughTheGemmPath() {
    long seed = Long.getLong("rewind.seed", 5L);
    for (dev.rewind.trainer.model.Surrogate surrogate :
        java.util.List.<dev.rewind.trainer.model.Surrogate>of(
            new dev.rewind.trainer.model.Surrogate.FastSigmoid(10),
            new dev.rewind.trainer.model.Surrogate.Triangle(0.5))) {
      dev.rewind.trainer.model.ModelConfig big =
          new dev.rewind.trainer.model.ModelConfig(
              40,
              java.util.List.of(
                  new dev.rewind.trainer.model.LayerConfig(160, true),
                  new dev.rewind.trainer.model.LayerConfig(130, false)),
              3,
              surrogate);
      java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
      check(
          new RandomCase(
              seed,
              big,
              dev.rewind.trainer.model.Parameters.initialise(
                  big, seed, dev.rewind.trainer.model.InitScheme.DEFAULT),
              RandomCase.frames(r, 2, 30, big.inputSize(), big.classes())));
    }
  }

  static void check(RandomCase c) {
    check(c, 0);
  }

  /** The engine against the reference, both truncated over {@code truncation}-step windows. */
  static void check(RandomCase c, int truncation) {
    BpttResult engine =
        new StoreAllBptt(c.config(), c.frames().batchSize(), truncation)
            .run(c.parameters(), c.frames());
    NaiveReference ref = new NaiveReference(c.parameters(), c.frames(), truncation);
    String where = "truncation " + truncation + ", replay with -Drewind.seed: " + c;
    if (Math.abs(engine.loss() - ref.loss) > 1e-5 * Math.max(1, Math.abs(ref.loss))) {
      fail("loss " + engine.loss() + " vs reference " + ref.loss + "; " + where);
    }
    for (int i = 0; i < ref.logits.length; i++) {
      double tol = 1e-5 * Math.max(1, Math.abs(ref.logits[i]));
      if (Math.abs(engine.logits()[i] - ref.logits[i]) > tol) {
        fail("logit " + i + ": " + engine.logits()[i] + " vs " + ref.logits[i] + "; " + where);
      }
    }
    for (TensorView v : c.parameters().layout().views()) {
      double max = 0;
      for (int i = 0; i < v.size(); i++) {
        max = Math.max(max, Math.abs(ref.gradient[v.offset() + i]));
      }
      for (int i = 0; i < v.size(); i++) {
        double a = engine.gradient()[v.offset() + i];
        double b = ref.gradient[v.offset() + i];
        double tol = RELATIVE * Math.abs(b) + TENSOR_RELATIVE * max + 1e-7;
        if (!(Math.abs(a - b) <= tol)) {
          fail(
              "gradient "
                  + v.name()
                  + "["
                  + i
                  + "]: engine "
                  + a
                  + " vs reference "
                  + b
                  + " (tensor max "
                  + max
                  + "); "
                  + where);
        }
      }
    }
    assertTrue(Double.isFinite(engine.loss()));
  }
}
