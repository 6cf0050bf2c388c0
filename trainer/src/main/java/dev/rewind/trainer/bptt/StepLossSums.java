package dev.rewind.trainer.bptt;

/**
 * What the per-step loss head carries from one time segment's backward to the segment before it:
 * the labelled steps N of the whole batch (every segment seeds with 1/N), and the loss and right
 * predictions summed over the segments after it. Summed that way, segment by segment from the last,
 * the sums come in the order one backward over the whole sequence adds them.
 *
 * @param targets N, the labelled (sequence, step) pairs of the whole batch
 * @param loss the cross-entropy summed so far
 * @param correct the labelled steps predicted right so far
 */
public record StepLossSums(int targets, double loss, int correct) implements java.io.Serializable {
  public StepLossSums {
    if (targets < 0 || correct < 0 || correct > targets || !(loss >= 0)) {
      throw new IllegalArgumentException(
          "per-step loss sums: expected 0 <= correct <= targets and a loss >= 0, got targets "
              + targets
              + ", correct "
              + correct
              + ", loss "
              + loss);
    }
  }

  /** Nothing summed yet, for the last segment of a batch with {@code targets} labelled steps. */
  public static StepLossSums start(int targets) {
    return new StepLossSums(targets, 0, 0);
  }
}
