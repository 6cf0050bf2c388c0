package dev.rewind.spark.internal.data;

import dev.rewind.storage.Blob;
import dev.rewind.storage.FloatBlock;
import dev.rewind.trainer.data.DenseFrames;
import dev.rewind.trainer.data.FrameSource;

/**
 * Frames given as one float per channel per step, {@code values[t * channels + j]}.
 *
 * @param channels the frame width of this chunk (checked against the model's input size)
 * @param supervision what the chunk carries per step for a per-step loss head
 */
public record DenseChunk(
    long sequence,
    int index,
    int label,
    int steps,
    int channels,
    float[] values,
    StepSupervision supervision)
    implements Chunk {

  /** A chunk without per-step supervision. */
  public DenseChunk(long sequence, int index, int label, int steps, int channels, float[] values) {
    this(sequence, index, label, steps, channels, values, StepSupervision.NONE);
  }

  public DenseChunk {
    supervision.requireSteps(sequence, index, steps);
    if ((long) steps * channels != values.length) {
      throw new IllegalArgumentException(
          "dense chunk "
              + index
              + " of sequence "
              + sequence
              + ": expected "
              + steps
              + " x "
              + channels
              + " values, got "
              + values.length);
    }
  }

  @Override
  public FrameSource frames(int modelChannels) {
    if (modelChannels != channels) {
      throw new IllegalArgumentException(
          "sequence "
              + sequence
              + ", chunk "
              + index
              + ": expected frames of "
              + modelChannels
              + " channels, got "
              + channels);
    }
    return supervision.attachTo(new DenseFrames(values, 1, steps, channels, new int[] {label}));
  }

  @Override
  public Blob toBlob() {
    return new FloatBlock(new int[] {steps, channels}, values);
  }
}
