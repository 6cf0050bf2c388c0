package dev.rewind.trainer.petra;

import dev.rewind.trainer.data.FrameSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The baseline: the same stages as {@link PetraTrainer}, run one after the other on one thread,
 * each keeping its activations and tapes until its backward. Gradients are exact (store-all BPTT
 * through every block) and every stage steps after {@code accumulate} backward passes, as in PETRA.
 */
final class BackpropTrainer implements StageTrainer {
  private final ReversibleNetwork network;
  private final StageConfig config;

  public BackpropTrainer(ReversibleNetwork network, StageConfig config) {
    this.network = Objects.requireNonNull(network, "network");
    this.config = Objects.requireNonNull(config, "config");
  }

  @Override
  public TrainingReport train(
      NetworkParameters parameters,
      MicroBatchSource data,
      long firstIndex,
      int microBatches,
      PetraListener listener) {
    if (microBatches < 1) {
      throw new IllegalArgumentException("microBatches: expected >= 1, got " + microBatches);
    }
    List<Stage> stages = Stage.split(network, parameters, Stage.Retention.STORE, config, listener);
    RunStatistics statistics = new RunStatistics();
    long start = System.nanoTime();
    for (long id = firstIndex; id < firstIndex + microBatches; id++) {
      FrameSource frames = data.batch(id);
      Activation y = stages.get(0).forward(id, frames);
      for (int j = 1; j < stages.size(); j++) {
        y = stages.get(j).forward(id, y);
      }
      LeakyReadout.HeadResult head =
          stages.get(stages.size() - 1).head(y, ReversibleNetwork.labels(frames));
      statistics.add(head);
      listener.onMicroBatch(id, head);
      Activation dy = head.inputGradient();
      for (int j = stages.size() - 1; j >= 0; j--) {
        ReversibleBlock.Reconstructed below = stages.get(j).backward(id, null, dy).orElse(null);
        dy = below == null ? null : below.inputGradient();
      }
    }
    List<StageReport> reports = new ArrayList<>();
    for (Stage stage : stages) {
      stage.flush();
      reports.add(stage.report());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new TrainingReport(
        microBatches,
        seconds,
        statistics.meanLoss(microBatches),
        statistics.meanAccuracy(microBatches),
        reports);
  }
}
