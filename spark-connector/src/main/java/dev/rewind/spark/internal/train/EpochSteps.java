package dev.rewind.spark.internal.train;

/**
 * How the steps of an epoch run on the cluster: laid out once per epoch, then one gradient sum per
 * step at the parameters the driver's optimizer has reached.
 */
interface EpochSteps {
  void layOut(EpochPlan plan);

  /** Step {@code step}'s summed gradient at {@code parameters} (not kept, not modified). */
  GradientSum run(int step, float[] parameters);

  /** The last step of the job that runs step {@code step}. */
  default int lastOfJob(int step) {
    return step;
  }

  /** Whether the job whose last step is {@code lastStep} also scores the held-out data. */
  default boolean scoresInJob(int lastStep) {
    return false;
  }

  /**
   * After the epoch's last step: the held-out mean loss and accuracy at the epoch's final {@code
   * parameters} ({@code scorer}'s, or those scored in the epoch's job); nothing of the epoch still
   * runs when this returns.
   */
  default double[] endEpoch(float[] parameters, DistributedTrainer.EpochScorer scorer) {
    return scorer.score(parameters);
  }

  /** Frees what the fit held on the cluster; also after a failure. */
  void release();
}
