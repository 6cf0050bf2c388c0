package dev.rewind.trainer.bptt;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.trainer.data.DenseFrames;
import dev.rewind.trainer.data.EventFrames;
import dev.rewind.trainer.data.StepLabelledFrames;
import dev.rewind.trainer.data.StepTargetFrames;
import dev.rewind.trainer.model.InitScheme;
import dev.rewind.trainer.model.LayerConfig;
import dev.rewind.trainer.model.LossSpec;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.model.Surrogate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input is an IllegalArgumentException whose message names the problem. */
class BadInputTest {
  static final ModelConfig CONFIG =
      new ModelConfig(
          3,
          List.of(new LayerConfig(4, true), new LayerConfig(5, false)),
          3,
          new Surrogate.Triangle(0.5));

  static void fails(String expected, Executable action) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action);
    assertTrue(
        e.getMessage().contains(expected),
        "expected message containing '" + expected + "', got: " + e.getMessage());
  }

  static DenseFrames frames(int batch, int steps, int channels, int... labels) {
    return new DenseFrames(new float[batch * steps * channels], batch, steps, channels, labels);
  }

  @Test
  void rejectsShapeMismatches() {
    StoreAllBptt bptt = new StoreAllBptt(CONFIG, 2);
    Parameters p = Parameters.initialise(CONFIG, 1, InitScheme.DEFAULT);
    fails("frames channels: expected inputSize 3, got 4", () -> bptt.run(p, frames(2, 5, 4, 0, 1)));
    fails("frames batch: expected 2 sequences, got 1", () -> bptt.run(p, frames(1, 5, 3, 0)));
    fails(
        "dense frames: expected 2 x 5 x 3 = 30 values, got 29",
        () -> new DenseFrames(new float[29], 2, 5, 3, new int[] {0, 1}));
    fails("labels: expected 2 (one per sequence), got 1", () -> frames(2, 5, 3, 0));
    fails("parameter array: expected", () -> Parameters.wrap(CONFIG, new float[7]));
    LifEngine engine = new LifEngine(CONFIG, 2);
    engine.loadParameters(p);
    NetworkState state = new NetworkState(CONFIG, 2);
    fails(
        "expected the state at step 2, got step 0",
        () -> engine.advance(state, 2, 4, frames(2, 5, 3, 0, 1), null));
    fails(
        "expected 0 <= t1 <= t2 <= 5, got t1=0, t2=6",
        () -> engine.advance(state, 0, 6, frames(2, 5, 3, 0, 1), null));
  }

  @Test
  void rejectsPerStepLabelsThatDoNotFitNamingTheSequenceAndStep() {
    ModelConfig perStep = CONFIG.withLoss(LossSpec.PER_STEP);
    StoreAllBptt bptt = new StoreAllBptt(perStep, 2);
    Parameters p = Parameters.initialise(perStep, 1, InitScheme.DEFAULT);
    DenseFrames plain = frames(2, 4, 3, 0, 1);
    int[] labels = {0, 1, -1, 2, 2, 1, 0, -1};
    labels[6] = 3;
    fails(
        "per-step label of sequence 1, step 2: expected in [0, 3) or -1 (none), got 3",
        () -> bptt.run(p, new StepLabelledFrames(plain, labels)));
    labels[6] = -2;
    fails(
        "per-step label of sequence 1, step 2: expected a class >= 0 or -1 (none), got -2",
        () -> new StepLabelledFrames(plain, labels));
    fails(
        "per-step labels: expected 8 (one per sequence and step, 2 x 4), got 7",
        () -> new StepLabelledFrames(plain, new int[7]));
    fails(
        "loss per-step: expected frames with a label at every step, got one label per sequence",
        () -> bptt.run(p, plain));
    fails(
        "loss per-step: expected frames with a label at every step", () -> bptt.evaluate(p, plain));
  }

  @Test
  void rejectsRegressionTargetsThatDoNotFitNamingTheSequenceStepAndComponent() {
    ModelConfig regression = CONFIG.withLoss(LossSpec.REGRESSION);
    StoreAllBptt bptt = new StoreAllBptt(regression, 2);
    Parameters p = Parameters.initialise(regression, 1, InitScheme.DEFAULT);
    DenseFrames plain = frames(2, 4, 3, 0, 1);
    float[] targets = new float[2 * 4 * 3];
    targets[(1 * 4 + 2) * 3 + 1] = Float.NEGATIVE_INFINITY;
    fails(
        "per-step target of sequence 1, step 2, component 1: expected a finite value or NaN (no"
            + " target), got -Infinity",
        () -> new StepTargetFrames(plain, 3, targets));
    fails(
        "per-step targets: expected 24 values (sequence x step x component, 2 x 4 x 3), got 23",
        () -> new StepTargetFrames(plain, 3, new float[23]));
    fails(
        "loss regression: expected a target vector of the model's 3 outputs at every step, got"
            + " targets of width 2",
        () -> bptt.run(p, new StepTargetFrames(plain, 2, new float[2 * 4 * 2])));
    fails(
        "loss regression: expected a target vector of the model's 3 outputs at every step, got one"
            + " label per sequence",
        () -> bptt.evaluate(p, plain));
    fails(
        "loss per-step: expected frames with a label at every step",
        () ->
            new StoreAllBptt(CONFIG.withLoss(LossSpec.PER_STEP), 2)
                .run(
                    Parameters.initialise(
                        CONFIG.withLoss(LossSpec.PER_STEP), 1, InitScheme.DEFAULT),
                    new StepTargetFrames(plain, 3, new float[24])));
  }

  @Test
  void rejectsNonFiniteInputsAndParameters() {
    float[] x = new float[2 * 5 * 3];
    x[(1 * 5 + 4) * 3 + 2] = Float.NaN;
    fails(
        "sequence 1, step 4, channel 2: expected a finite value, got NaN",
        () -> new DenseFrames(x, 2, 5, 3, new int[] {0, 1}));
    x[(1 * 5 + 4) * 3 + 2] = Float.POSITIVE_INFINITY;
    fails("got Infinity", () -> new DenseFrames(x, 2, 5, 3, new int[] {0, 1}));
    Parameters p = Parameters.initialise(CONFIG, 1, InitScheme.DEFAULT);
    p.data()[p.layout().view("R1").offset() + 3] = Float.NaN;
    fails(
        "parameter R1[3]: expected a finite value, got NaN",
        () -> new LifEngine(CONFIG, 2).loadParameters(p));
  }

  @Test
  void rejectsLabelsOutOfRange() {
    StoreAllBptt bptt = new StoreAllBptt(CONFIG, 2);
    Parameters p = Parameters.initialise(CONFIG, 1, InitScheme.DEFAULT);
    fails(
        "label of sequence 1: expected in [0, 3), got 3", () -> bptt.run(p, frames(2, 5, 3, 0, 3)));
    fails("label of sequence 0: expected >= 0, got -1", () -> frames(2, 5, 3, -1, 0));
  }

  @Test
  void rejectsEmptyBatchAndEmptySequences() {
    fails("batch: expected at least one sequence, got 0", () -> frames(0, 5, 3));
    fails("steps: expected T > 0, got 0", () -> frames(2, 0, 3, 0, 1));
    fails(
        "batch: expected at least one sequence, got 0",
        () -> new EventFrames(5, 3, new int[0][], new int[0][], new int[0]));
    fails("batch: expected > 0, got 0", () -> new LifEngine(CONFIG, 0));
  }

  @Test
  void rejectsBadEvents() {
    int[] labels = {0, 1};
    fails(
        "sequence 1, event 2: expected times sorted, got 1 after 3",
        () ->
            new EventFrames(
                5, 3, new int[][] {{0}, {0, 3, 1}}, new int[][] {{0}, {0, 1, 2}}, labels));
    fails(
        "sequence 0, event 0: expected time in [0, 5), got 5",
        () -> new EventFrames(5, 3, new int[][] {{5}, {}}, new int[][] {{0}, {}}, labels));
    fails(
        "sequence 0, step 2: expected channel in [0, 3), got 3",
        () -> new EventFrames(5, 3, new int[][] {{2}, {}}, new int[][] {{3}, {}}, labels));
    fails(
        "sequence 1: expected as many channels as times (1), got 0",
        () -> new EventFrames(5, 3, new int[][] {{}, {1}}, new int[][] {{}, {}}, labels));
  }

  @Test
  void rejectsBadConfigs() {
    fails("layer size: expected > 0, got 0", () -> new LayerConfig(0, false));
    fails("layer beta: expected in (0, 1), got 1.0", () -> new LayerConfig(3, false, 1.0));
    fails(
        "classes: expected >= 2, got 1",
        () ->
            new ModelConfig(3, List.of(new LayerConfig(2, false)), 1, new Surrogate.Triangle(0.5)));
    fails("width finite and > 0, got -1.0", () -> new Surrogate.Triangle(-1));
    fails(
        "layer beta: expected in (0, 1), got 1.5",
        () ->
            ModelConfig.fromJson(
                "{\"inputSize\":3,\"layers\":[{\"size\":2,\"beta\":1.5}],\"classes\":2}"));
    fails("model config JSON", () -> ModelConfig.fromJson("{\"inputSize\":3,"));
  }
}
