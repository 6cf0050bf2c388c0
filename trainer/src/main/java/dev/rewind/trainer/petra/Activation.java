package dev.rewind.trainer.petra;

/**
 * What flows between reversible blocks and between stages: the two halves (x1, x2) of a coupling
 * block's input or output, each [steps][batch][width], or their gradients.
 */
record Activation(SequenceTensor first, SequenceTensor second) {

  public Activation {
    first.requireSameShape("second half", second);
  }

  /** Bytes of both halves. */
  public long bytes() {
    return first.bytes() + second.bytes();
  }

  /** A deep copy. */
  public Activation copy() {
    return new Activation(first.copy(), second.copy());
  }

  /**
   * Relative L2 distance {@code ||this - reference|| / ||reference||} over both halves, in double
   * (the absolute distance when the reference is zero).
   */
  public double relativeError(Activation reference) {
    first.requireSameShape("reference", reference.first());
    double diff = 0;
    double norm = 0;
    for (SequenceTensor[] pair :
        new SequenceTensor[][] {{first, reference.first()}, {second, reference.second()}}) {
      float[] a = pair[0].data();
      float[] r = pair[1].data();
      for (int i = 0; i < a.length; i++) {
        double d = (double) a[i] - r[i];
        diff += d * d;
        norm += (double) r[i] * r[i];
      }
    }
    return norm == 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
  }
}
