package dev.rewind.trainer.petra;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.trainer.data.EventFrames;
import dev.rewind.trainer.optim.AdamConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * PETRA (J = 3, delayed gradients, rebuilt inputs) reaches backprop's held-out accuracy, within one
 * point, on the same reversible network, data and initial parameters.
 */
class PetraAccuracyTest {

  @Test
  @Timeout(120)
  void petraWithinOnePointOfBackprop() {
    CueTask task = new CueTask(20, 4, 3, 0.25, 0.08);
    long seed = 5;
    ReversibleNetwork network =
        new ReversibleNetwork(
            ReversibleNetworkConfig.defaults(task.channels(), 8, 16, 3, 4).withRecurrent(true));
    MicroBatchSource data = i -> task.generate(16, seed * 104729 + i);
    EventFrames test = task.generate(1000, seed - 1);
    NetworkParameters start = network.initialise(seed);
    StageConfig config = new StageConfig(3, 2, AdamConfig.defaults(3e-3), 10);

    NetworkParameters backprop = start.copy();
    TrainingReport b =
        new BackpropTrainer(network, config).train(backprop, data, 0, 400, PetraListener.NONE);
    NetworkParameters petra = start.copy();
    TrainingReport p =
        new PetraTrainer(network, config).train(petra, data, 0, 400, PetraListener.NONE);

    double before = network.evaluate(start, test).accuracy();
    double accBackprop = network.evaluate(backprop, test).accuracy();
    double accPetra = network.evaluate(petra, test).accuracy();
    System.out.printf(
        "held-out accuracy: initial %.1f%%, backprop %.1f%% (%.1f s), PETRA J=3 %.1f%% (%.1f s)%n",
        100 * before, 100 * accBackprop, b.seconds(), 100 * accPetra, p.seconds());
    for (StageReport s : p.stages()) {
      System.out.println("  PETRA " + s);
    }
    assertTrue(accBackprop > before + 0.3, "backprop should learn the task");
    assertTrue(
        Math.abs(accPetra - accBackprop) <= 0.01,
        "PETRA " + accPetra + " vs backprop " + accBackprop);
  }
}
