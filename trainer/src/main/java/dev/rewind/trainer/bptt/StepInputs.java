package dev.rewind.trainer.bptt;

import dev.rewind.trainer.data.FrameSource;

/**
 * One step's input events for every batch row, read from a {@link FrameSource} once per step so
 * that the threads of a kernel round share them: row b's non-zero channels ascending at {@code
 * index[b * channels ..]}, their values in {@code value}, {@code count[b]} of them.
 */
final class StepInputs {
  final int channels;
  final int[] index;
  final float[] value;
  final int[] count;
  private final int batch;
  private final int[] rowIndex;
  private final float[] rowValue;

  StepInputs(int batch, int channels) {
    this.batch = batch;
    this.channels = channels;
    this.index = new int[batch * channels];
    this.value = new float[batch * channels];
    this.count = new int[batch];
    this.rowIndex = new int[channels];
    this.rowValue = new float[channels];
  }

  void fill(FrameSource frames, int t) {
    for (int b = 0; b < batch; b++) {
      int m = frames.fill(t, b, rowIndex, rowValue);
      System.arraycopy(rowIndex, 0, index, b * channels, m);
      System.arraycopy(rowValue, 0, value, b * channels, m);
      count[b] = m;
    }
  }
}
