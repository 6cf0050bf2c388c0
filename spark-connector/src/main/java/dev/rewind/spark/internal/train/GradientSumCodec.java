package dev.rewind.spark.internal.train;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Writes and reads a {@link GradientSum} field by field for Kryo; a sum without a gradient (an
 * aggregation's zero, a held-out score) has length -1.
 */
public final class GradientSumCodec {
  private GradientSumCodec() {}

  public static void write(Output out, GradientSum s) {
    if (s.gradient == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(s.gradient.length);
      out.writeDoubles(s.gradient);
    }
    out.writeDouble(s.loss);
    out.writeLong(s.correct);
    out.writeLong(s.sequences);
    out.writeLong(s.scored);
    out.writeLong(s.forwardSteps);
    out.writeLong(s.recomputedSteps);
    out.writeLong(s.bytesWritten);
    out.writeLong(s.ioBlockedNanos);
    out.writeLong(s.peakOnChipBytes);
    out.writeLong(s.taskNanos);
    out.writeLong(s.driverMergeNanos);
  }

  public static GradientSum read(Input in) {
    int n = in.readInt();
    GradientSum s = n < 0 ? GradientSum.none() : new GradientSum(n);
    if (n >= 0) {
      System.arraycopy(in.readDoubles(n), 0, s.gradient, 0, n);
    }
    s.loss = in.readDouble();
    s.correct = in.readLong();
    s.sequences = in.readLong();
    s.scored = in.readLong();
    s.forwardSteps = in.readLong();
    s.recomputedSteps = in.readLong();
    s.bytesWritten = in.readLong();
    s.ioBlockedNanos = in.readLong();
    s.peakOnChipBytes = in.readLong();
    s.taskNanos = in.readLong();
    s.driverMergeNanos = in.readLong();
    return s;
  }
}
