package dev.rewind.examples.cli;

import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.petra.InStageSchedule;
import dev.rewind.trainer.petra.LeakyReadout;
import dev.rewind.trainer.petra.NetworkParameters;
import dev.rewind.trainer.petra.PetraSteps;
import dev.rewind.trainer.petra.ReversibleNetwork;
import dev.rewind.trainer.petra.ReversibleNetworkConfig;
import dev.rewind.trainer.petra.StageConfig;
import dev.rewind.trainer.petra.StageReport;
import dev.rewind.trainer.petra.StageTrainer;
import dev.rewind.trainer.petra.TrainingReport;
import dev.rewind.trainer.training.EpochResult;
import dev.rewind.trainer.training.TrainingConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code rewind train --trainer petra|backprop}: trains a reversible spiking network stage-wise,
 * one epoch per {@link StageTrainer#train} call, and prints per epoch the losses, held-out
 * accuracy, throughput, and per stage the reconstruction error and peak activation bytes.
 */
final class StageTraining {
  private final StageOptions options;
  private final ModelOptions model;
  private final ScheduleOptions schedule;

  StageTraining(StageOptions options, ModelOptions model, ScheduleOptions schedule) {
    this.options = options;
    this.model = model;
    this.schedule = schedule;
  }

  void run(
      PrintWriter console,
      List<? extends FrameSource> train,
      List<? extends FrameSource> test,
      TrainingConfig training,
      int channels,
      int classes,
      long seed)
      throws IOException {
    try (ScheduleOptions.Offchip offchip = schedule.openOffchip()) {
      run(console, train, test, training, channels, classes, seed, offchip);
    }
  }

  private void run(
      PrintWriter console,
      List<? extends FrameSource> train,
      List<? extends FrameSource> test,
      TrainingConfig training,
      int channels,
      int classes,
      long seed,
      ScheduleOptions.Offchip offchip) {
    StageTrainer.Kind kind = kind(options.trainer);
    if (model.neuron.contains("alif")) {
      throw new IllegalArgumentException(
          "--neuron alif: --trainer "
              + options.trainer
              + " trains reversible stages of LIF layers; ALIF layers train with BPTT (the"
              + " default trainer)");
    }
    if (!model.lossHead().isMean()) {
      throw new IllegalArgumentException(
          "--loss "
              + model.loss
              + ": --trainer "
              + options.trainer
              + " trains reversible stages with the mean-over-time head; other loss heads train"
              + " with BPTT (the default trainer)");
    }
    if (model.trainsTimeConstants()) {
      throw new IllegalArgumentException(
          (model.trainReadoutTau ? "--train-readout-tau" : "--train-tau")
              + ": --trainer "
              + options.trainer
              + " trains reversible stages with fixed time constants; trainable ones train with"
              + " BPTT (the default trainer)");
    }
    ReversibleNetworkConfig defaults =
        ReversibleNetworkConfig.defaults(
            channels, options.width, options.hidden, options.blocks, classes);
    ReversibleNetworkConfig config =
        new ReversibleNetworkConfig(
            channels,
            options.width,
            options.hidden,
            options.blocks,
            classes,
            true,
            defaults.beta(),
            defaults.readoutBeta(),
            defaults.theta(),
            ModelOptions.surrogate(model.surrogate),
            defaults.inputGain(),
            defaults.couplingGain());
    ReversibleNetwork network = new ReversibleNetwork(config);
    NetworkParameters params = network.initialise(seed);
    // PETRA's stages run F and G under --schedule; backprop's store every tape
    StageConfig stages =
        new StageConfig(
            options.stages,
            options.accumulate,
            training.optimizer(),
            options.probeEvery,
            Optional.of(new InStageSchedule(schedule.spec(), schedule.budget(), offchip.store())),
            training.clipping());
    StageTrainer trainer = kind.create(network, stages);
    console.printf(
        Locale.ROOT,
        "%s on a reversible network: %d blocks (half width %d, %d recurrent LIF neurons per F/G),"
            + " %d parameters; J=%d stages, k=%d%s%n",
        kind.name().toLowerCase(Locale.ROOT),
        options.blocks,
        options.width,
        options.hidden,
        params.size(),
        options.stages,
        options.accumulate,
        kind == StageTrainer.Kind.PETRA
            ? "; F/G backward under " + schedule.spec().text() + " within " + schedule.budget()
            : "");
    try (EpochProgress progress = new EpochProgress(console, training.epochs(), train.size())) {
      for (int epoch = 1; epoch <= training.epochs(); epoch++) {
        long first = (long) (epoch - 1) * train.size();
        TrainingReport r =
            trainer.train(
                params,
                i -> train.get((int) (i % train.size())),
                first,
                train.size(),
                new PetraSteps(progress, epoch - 1, first));
        double loss = 0;
        double accuracy = 0;
        for (FrameSource batch : test) {
          LeakyReadout.HeadResult h = network.evaluate(params, batch);
          loss += h.loss();
          accuracy += h.accuracy();
        }
        progress.onEpoch(
            new EpochResult(
                epoch,
                r.meanLoss(),
                r.meanAccuracy(),
                loss / test.size(),
                accuracy / test.size(),
                Double.NaN,
                r.seconds()));
        console.printf(Locale.ROOT, "  %.2f micro-batches/s%n", r.throughput());
        for (StageReport s : r.stages()) {
          console.printf(
              Locale.ROOT,
              "  stage %d: %d blocks, peak activation %d bytes (+ %d off-chip), reconstruction"
                  + " error mean %.3g max %.3g (%d probes)%n",
              s.stage(),
              s.blocks(),
              s.peakActivationBytes(),
              s.peakOffchipBytes(),
              s.meanReconstructionError(),
              s.maxReconstructionError(),
              s.probes());
        }
        console.flush();
      }
      progress.onFinish();
    }
  }

  private static StageTrainer.Kind kind(String name) {
    return switch (name) {
      case "petra" -> StageTrainer.Kind.PETRA;
      case "backprop" -> StageTrainer.Kind.BACKPROP;
      default ->
          throw new IllegalArgumentException(
              "--trainer: expected petra or backprop, got '" + name + "'");
    };
  }
}
