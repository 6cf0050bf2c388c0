package dev.rewind.spark.internal.data;

import dev.rewind.storage.Blob;
import dev.rewind.storage.IntBlock;
import dev.rewind.trainer.data.EventFrames;
import dev.rewind.trainer.data.FrameSource;
import java.util.Arrays;

/**
 * Frames given as events: event k happens at step {@code times[k]} (relative to this chunk's first
 * step, non-decreasing, in [0, steps)) on input channel {@code channels[k]}.
 */
public record EventChunk(
    long sequence,
    int index,
    int label,
    int steps,
    int[] times,
    int[] channels,
    StepSupervision supervision)
    implements Chunk {

  /** A chunk without per-step supervision. */
  public EventChunk(long sequence, int index, int label, int steps, int[] times, int[] channels) {
    this(sequence, index, label, steps, times, channels, StepSupervision.NONE);
  }

  public EventChunk {
    if (steps <= 0) {
      throw new IllegalArgumentException(
          "event chunk "
              + index
              + " of sequence "
              + sequence
              + ": expected length > 0, got "
              + steps);
    }
    supervision.requireSteps(sequence, index, steps);
    if (times.length != channels.length) {
      throw new IllegalArgumentException(
          "event chunk "
              + index
              + " of sequence "
              + sequence
              + ": expected as many channels as times ("
              + times.length
              + "), got "
              + channels.length);
    }
  }

  @Override
  public FrameSource frames(int modelChannels) {
    return supervision.attachTo(
        new EventFrames(
            steps, modelChannels, new int[][] {times}, new int[][] {channels}, new int[] {label}));
  }

  @Override
  public Blob toBlob() {
    int[] both = Arrays.copyOf(times, times.length * 2);
    System.arraycopy(channels, 0, both, times.length, channels.length);
    return new IntBlock(new int[] {2, times.length}, both);
  }
}
