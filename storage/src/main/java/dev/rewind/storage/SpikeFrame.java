package dev.rewind.storage;

import java.util.Arrays;

/**
 * A binary {@code rows x cols} matrix given by the sorted column indices of its ones, row by row
 * (compressed sparse rows). For one time step, rows are the batch and cols the neurons; several
 * steps can be stacked as more rows.
 *
 * @param rows number of rows, >= 0
 * @param cols number of columns, >= 0
 * @param rowOffsets {@code rows + 1} offsets into {@code indices}: row r holds {@code
 *     indices[rowOffsets[r] .. rowOffsets[r+1])}
 * @param indices strictly increasing column indices within each row, each in {@code [0, cols)}
 */
public record SpikeFrame(int rows, int cols, int[] rowOffsets, int[] indices) implements Blob {

  public SpikeFrame {
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException(
          "spike frame: expected rows, cols >= 0, got " + rows + " x " + cols);
    }
    if ((long) rows * cols > 8L * Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "spike frame: expected at most 2^34 cells, got " + rows + " x " + cols);
    }
    if (rowOffsets == null || rowOffsets.length != rows + 1) {
      throw new IllegalArgumentException(
          "spike frame: expected "
              + (rows + 1)
              + " row offsets, got "
              + (rowOffsets == null ? "null" : rowOffsets.length));
    }
    if (indices == null) {
      throw new IllegalArgumentException("spike frame: expected indices, got null");
    }
    if (rowOffsets[0] != 0 || rowOffsets[rows] != indices.length) {
      throw new IllegalArgumentException(
          "spike frame: expected offsets from 0 to "
              + indices.length
              + ", got "
              + rowOffsets[0]
              + " to "
              + rowOffsets[rows]);
    }
    for (int r = 0; r < rows; r++) {
      int from = rowOffsets[r];
      int to = rowOffsets[r + 1];
      if (to < from) {
        throw new IllegalArgumentException(
            "spike frame: expected non-decreasing row offsets, got "
                + from
                + " then "
                + to
                + " at row "
                + r);
      }
      int previous = -1;
      for (int i = from; i < to; i++) {
        int column = indices[i];
        if (column <= previous || column >= cols) {
          throw new IllegalArgumentException(
              "spike frame: expected increasing indices in [0, "
                  + cols
                  + ") in row "
                  + r
                  + ", got "
                  + column
                  + " after "
                  + previous);
        }
        previous = column;
      }
    }
  }

  /** The frame whose ones are the true cells of a row-major {@code rows x cols} matrix. */
  public static SpikeFrame fromDense(int rows, int cols, boolean[] cells) {
    if (cells.length != rows * cols) {
      throw new IllegalArgumentException(
          "spike frame: expected " + rows * cols + " cells, got " + cells.length);
    }
    int count = 0;
    for (boolean cell : cells) {
      count += cell ? 1 : 0;
    }
    int[] offsets = new int[rows + 1];
    int[] indices = new int[count];
    int n = 0;
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        if (cells[r * cols + c]) {
          indices[n++] = c;
        }
      }
      offsets[r + 1] = n;
    }
    return new SpikeFrame(rows, cols, offsets, indices);
  }

  /** Number of ones. */
  public int spikeCount() {
    return indices.length;
  }

  @Override
  public BlobKind kind() {
    return BlobKind.SPIKES;
  }

  @Override
  public int[] shape() {
    return new int[] {rows, cols};
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SpikeFrame that
        && rows == that.rows
        && cols == that.cols
        && Arrays.equals(rowOffsets, that.rowOffsets)
        && Arrays.equals(indices, that.indices);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * rows + cols) + Arrays.hashCode(rowOffsets)) + Arrays.hashCode(indices);
  }

  @Override
  public String toString() {
    return "SpikeFrame[" + rows + " x " + cols + ", " + indices.length + " spikes]";
  }
}
