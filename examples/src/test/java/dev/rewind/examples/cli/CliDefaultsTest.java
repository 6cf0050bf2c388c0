package dev.rewind.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.spark.ml.SpikingSequenceClassifier;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code rewind train} with no options and a fresh Estimator mean the same model and training. */
class CliDefaultsTest {
  @Test
  void theCliAndTheEstimatorShareEveryDefault() {
    TrainCommand cmd = new TrainCommand();
    new CommandLine(cmd).parseArgs();
    SpikingSequenceClassifier estimator =
        new SpikingSequenceClassifier().setNumChannels(40).setNumClasses(2);
    assertEquals(estimator.modelSetup(), cmd.model.toSetup(40, 2, false, cmd.seed));
    assertEquals(estimator.trainingConfig(), cmd.optimizer.toConfig());
    assertEquals(estimator.scheduleSpec(), cmd.schedule.spec());
    assertEquals(estimator.budget(), cmd.schedule.budget());
    assertEquals(estimator.getTaskBatchSize(), cmd.taskBatch);

    // ALIF layers: the same adaptation defaults
    TrainCommand alif = new TrainCommand();
    new CommandLine(alif).parseArgs("--neuron", "alif,lif");
    assertEquals(
        estimator.setNeuron("alif,lif").modelSetup(), alif.model.toSetup(40, 2, false, alif.seed));
    assertTrue(estimator.modelSetup().network().layers().get(0).adaptive());

    // The loss head: one text for both
    TrainCommand last = new TrainCommand();
    new CommandLine(last).parseArgs("--neuron", "alif,lif", "--loss", "last:5");
    assertEquals(
        estimator.setLoss("last:5").modelSetup(), last.model.toSetup(40, 2, false, last.seed));
    assertEquals(5, estimator.modelSetup().network().loss().lastSteps());
  }
}
