package dev.rewind.trainer.petra;

import java.io.IOException;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A reversible coupling block on sequences (RevNet coupling, as in PETRA): {@code y1 = x1 + F(x2)},
 * {@code y2 = x2 + G(y1)}, with F and G {@link SpikingSequenceMap}s from half width to half width.
 * Its inverse {@code x2 = y2 - G(y1)}, {@code x1 = y1 - F(x2)} needs forward passes of F and G
 * only, so it never runs the LIF dynamics backwards in time. In float the inverse is exact up to
 * the rounding of one addition and one subtraction per entry, unless that rounding moves a membrane
 * potential of F across the threshold.
 *
 * <p>Parameters: F's slice then G's slice, both in the caller's array at an offset. Immutable and
 * thread-safe.
 */
final class ReversibleBlock {
  private final SpikingSequenceMap f;
  private final SpikingSequenceMap g;

  /** F and G both use {@code config}, whose input and output widths must be equal. */
  public ReversibleBlock(SequenceMapConfig config) {
    Objects.requireNonNull(config, "config");
    if (config.inputWidth() != config.outputWidth()) {
      throw new IllegalArgumentException(
          "coupling map: expected inputWidth == outputWidth, got "
              + config.inputWidth()
              + " and "
              + config.outputWidth());
    }
    this.f = new SpikingSequenceMap(config);
    this.g = new SpikingSequenceMap(config);
  }

  public int parameterCount() {
    return 2 * f.parameterCount();
  }

  /** The half width. */
  public int width() {
    return f.config().inputWidth();
  }

  /** Bytes of the F and G tapes of one whole-tape backward on a [steps][batch] input. */
  public long tapeBytes(int steps, int batch) {
    return 2 * 8L * steps * batch * f.config().hidden();
  }

  /** Initialises F then G (see {@link SpikingSequenceMap#initialise}). */
  public void initialise(
      float[] p, int off, SplittableRandom random, double inputGain, double outputGain) {
    f.initialise(p, off, random, inputGain, outputGain);
    g.initialise(p, off + f.parameterCount(), random, inputGain, outputGain);
  }

  /** The block's output for input {@code x}; keeps nothing. */
  public Activation forward(float[] p, int off, Activation x) {
    SequenceTensor y1 = add(x.first(), f.forward(p, off, x.second(), null));
    SequenceTensor y2 = add(x.second(), g.forward(p, off + f.parameterCount(), y1, null));
    return new Activation(y1, y2);
  }

  /** The input rebuilt from output {@code y} with parameters {@code p}. */
  public Activation inverse(float[] p, int off, Activation y) {
    SequenceTensor x2 =
        subtract(y.second(), g.forward(p, off + f.parameterCount(), y.first(), null));
    SequenceTensor x1 = subtract(y.first(), f.forward(p, off, x2, null));
    return new Activation(x1, x2);
  }

  /** Forward that keeps what an exact backward needs (store-all backpropagation). */
  public StoredBlock forwardStored(float[] p, int off, Activation x) {
    int steps = x.first().steps();
    int batch = x.first().batch();
    int hidden = f.config().hidden();
    SpikeTape fTape = new SpikeTape(steps, batch, hidden);
    SpikeTape gTape = new SpikeTape(steps, batch, hidden);
    SequenceTensor y1 = add(x.first(), f.forward(p, off, x.second(), fTape));
    SequenceTensor y2 = add(x.second(), g.forward(p, off + f.parameterCount(), y1, gTape));
    return new StoredBlock(new Activation(y1, y2), x.second(), fTape, gTape);
  }

  /** Backward from stored activations: adds parameter gradients, returns dL/dx. */
  public Activation backwardStored(
      float[] p, int off, StoredBlock stored, Activation dy, float[] grads, int goff) {
    return vectorJacobian(
        p,
        off,
        stored.output().first(),
        stored.x2(),
        stored.fTape(),
        stored.gTape(),
        dy,
        grads,
        goff);
  }

  /**
   * PETRA's backward: rebuilds the input from output {@code y} with the current parameters,
   * recomputes F and G on the rebuilt values keeping whole tapes, adds parameter gradients and
   * returns the rebuilt input with its gradient.
   */
  public Reconstructed backwardFromOutput(
      float[] p, int off, Activation y, Activation dy, float[] grads, int goff) {
    int steps = y.first().steps();
    int batch = y.first().batch();
    int hidden = f.config().hidden();
    int gOff = f.parameterCount();
    SpikeTape gTape = new SpikeTape(steps, batch, hidden);
    SequenceTensor x2 = subtract(y.second(), g.forward(p, off + gOff, y.first(), gTape));
    SpikeTape fTape = new SpikeTape(steps, batch, hidden);
    SequenceTensor x1 = subtract(y.first(), f.forward(p, off, x2, fTape));
    Activation dx = vectorJacobian(p, off, y.first(), x2, fTape, gTape, dy, grads, goff);
    return new Reconstructed(new Activation(x1, x2), dx, tapeBytes(steps, batch), 0);
  }

  /**
   * PETRA's backward with F and G run under {@code scheduler}'s checkpoint schedule: the same
   * rebuilt input and bit-identical gradients as with whole tapes, holding what the schedule keeps
   * (the reported bytes are the sums of F's and G's peaks, which overlap in time).
   */
  Reconstructed backwardFromOutput(
      float[] p,
      int off,
      Activation y,
      Activation dy,
      float[] grads,
      int goff,
      MapScheduler scheduler)
      throws IOException {
    int gOff = f.parameterCount();
    ScheduledRecord gRecord = scheduler.forward(g, p, off + gOff, y.first());
    SequenceTensor x2 = subtract(y.second(), gRecord.output());
    ScheduledRecord fRecord = scheduler.forward(f, p, off, x2);
    SequenceTensor x1 = subtract(y.first(), fRecord.output());
    SequenceTensor dy1 =
        add(
            dy.first(),
            g.backward(p, off + gOff, y.first(), gRecord, dy.second(), grads, goff + gOff));
    SequenceTensor dx2 = add(dy.second(), f.backward(p, off, x2, fRecord, dy1, grads, goff));
    return new Reconstructed(
        new Activation(x1, x2),
        new Activation(dy1, dx2),
        gRecord.memoryBytes() + fRecord.memoryBytes(),
        gRecord.offchipBytes() + fRecord.offchipBytes());
  }

  private Activation vectorJacobian(
      float[] p,
      int off,
      SequenceTensor y1,
      SequenceTensor x2,
      SpikeTape fTape,
      SpikeTape gTape,
      Activation dy,
      float[] grads,
      int goff) {
    int gOff = f.parameterCount();
    SequenceTensor dy1 =
        add(dy.first(), g.backward(p, off + gOff, y1, gTape, dy.second(), grads, goff + gOff));
    SequenceTensor dx2 = add(dy.second(), f.backward(p, off, x2, fTape, dy1, grads, goff));
    return new Activation(dy1, dx2);
  }

  static SequenceTensor add(SequenceTensor a, SequenceTensor b) {
    a.requireSameShape("addend", b);
    float[] r = new float[a.data().length];
    for (int i = 0; i < r.length; i++) {
      r[i] = a.data()[i] + b.data()[i];
    }
    return new SequenceTensor(a.steps(), a.batch(), a.width(), r);
  }

  static SequenceTensor subtract(SequenceTensor a, SequenceTensor b) {
    a.requireSameShape("subtrahend", b);
    float[] r = new float[a.data().length];
    for (int i = 0; i < r.length; i++) {
      r[i] = a.data()[i] - b.data()[i];
    }
    return new SequenceTensor(a.steps(), a.batch(), a.width(), r);
  }

  /** What {@link #forwardStored} keeps: the output, x2 and both tapes. */
  public record StoredBlock(
      Activation output, SequenceTensor x2, SpikeTape fTape, SpikeTape gTape) {
    /** Bytes kept for the backward (x2, y1 and both tapes; y2 is passed on, not kept). */
    public long bytes() {
      return x2.bytes() + output.first().bytes() + fTape.bytes() + gTape.bytes();
    }
  }

  /**
   * A rebuilt input and the gradient of the loss with respect to it, with what the backward held
   * for F and G: heap bytes (tapes and saved states) and off-chip bytes (saved states, decoded
   * size).
   */
  public record Reconstructed(
      Activation input, Activation inputGradient, long memoryBytes, long offchipBytes) {}
}
