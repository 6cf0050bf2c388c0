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

  /** After the epoch's last step: nothing of the epoch still runs when this returns. */
  default void endEpoch() {}

  /** Frees what the fit held on the cluster; also after a failure. */
  void release();
}
