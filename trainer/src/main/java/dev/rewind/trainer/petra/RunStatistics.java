package dev.rewind.trainer.petra;

import java.util.concurrent.atomic.DoubleAdder;

/** Sums of head losses and accuracies; thread-safe. */
final class RunStatistics {
  private final DoubleAdder loss = new DoubleAdder();
  private final DoubleAdder accuracy = new DoubleAdder();

  void add(LeakyReadout.HeadResult result) {
    loss.add(result.loss());
    accuracy.add(result.accuracy());
  }

  double meanLoss(int count) {
    return loss.sum() / count;
  }

  double meanAccuracy(int count) {
    return accuracy.sum() / count;
  }
}
