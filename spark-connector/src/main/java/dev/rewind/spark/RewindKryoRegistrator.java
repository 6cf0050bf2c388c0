package dev.rewind.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import dev.rewind.spark.internal.data.DenseChunk;
import dev.rewind.spark.internal.data.EventChunk;
import dev.rewind.spark.internal.data.StepSupervision;
import dev.rewind.spark.internal.train.ChunkKey;
import dev.rewind.spark.internal.train.EpochPlan;
import dev.rewind.spark.internal.train.GradientSum;
import dev.rewind.spark.internal.train.GradientSumCodec;
import dev.rewind.spark.internal.train.SegmentKey;
import dev.rewind.spark.internal.train.SegmentStep;
import dev.rewind.spark.internal.train.SequenceTable;
import org.apache.spark.serializer.KryoRegistrator;
import org.apache.spark.sql.catalyst.expressions.GenericRow;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType$;
import org.apache.spark.sql.types.BooleanType$;
import org.apache.spark.sql.types.ByteType$;
import org.apache.spark.sql.types.CalendarIntervalType$;
import org.apache.spark.sql.types.DateType$;
import org.apache.spark.sql.types.DayTimeIntervalType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType$;
import org.apache.spark.sql.types.FloatType$;
import org.apache.spark.sql.types.IntegerType$;
import org.apache.spark.sql.types.LongType$;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.NullType$;
import org.apache.spark.sql.types.ShortType$;
import org.apache.spark.sql.types.StringType$;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType$;
import org.apache.spark.sql.types.TimestampType$;
import org.apache.spark.sql.types.YearMonthIntervalType;

/**
 * Registers every Rewind class that crosses the wire (shuffled chunks and their keys, task results,
 * broadcast plans) with an explicit serializer, so {@code spark.kryo.registrationRequired=true}
 * works. Use with {@code spark.kryo.registrator=dev.rewind.spark.RewindKryoRegistrator}.
 */
public final class RewindKryoRegistrator implements KryoRegistrator {
  @Override
  public void registerClasses(Kryo kryo) {
    kryo.register(float[].class);
    kryo.register(double[].class);
    kryo.register(int[].class);
    kryo.register(long[].class);
    kryo.register(DenseChunk.class, new DenseChunkSerializer());
    kryo.register(EventChunk.class, new EventChunkSerializer());
    kryo.register(ChunkKey.class, new ChunkKeySerializer());
    kryo.register(SegmentKey.class, new SegmentKeySerializer());
    // Small and few per step (plans, boundary states and adjoints): Java serialization suffices.
    for (Class<?> c : SegmentStep.SERIALIZED) {
      kryo.register(c, new JavaSerializer());
    }
    kryo.register(GradientSum.class, new GradientSumSerializer());
    kryo.register(SequenceTable.class, new SequenceTableSerializer());
    kryo.register(EpochPlan.class, new EpochPlanSerializer());
    registerSchemaTypes(kryo);
    // Rows a driver hands to parallelize (the CLI's built-in tasks) travel as themselves.
    kryo.register(GenericRow.class);
    kryo.register(Object[].class);
    kryo.register(float[][].class);
  }

  /**
   * Spark's Parquet reader sends file schemas back from its footer-reading job; without these a
   * {@code spark.read.parquet} fails under registration required.
   */
  private static void registerSchemaTypes(Kryo kryo) {
    for (Class<?> c :
        new Class<?>[] {
          StructType.class,
          StructField.class,
          StructField[].class,
          Metadata.class,
          ArrayType.class,
          MapType.class,
          DecimalType.class,
          DayTimeIntervalType.class,
          YearMonthIntervalType.class,
          BinaryType$.class,
          BooleanType$.class,
          ByteType$.class,
          ShortType$.class,
          IntegerType$.class,
          LongType$.class,
          FloatType$.class,
          DoubleType$.class,
          StringType$.class,
          DateType$.class,
          TimestampType$.class,
          TimestampNTZType$.class,
          CalendarIntervalType$.class,
          NullType$.class
        }) {
      kryo.register(c);
    }
  }

  private static final class DenseChunkSerializer extends Serializer<DenseChunk> {
    @Override
    public void write(Kryo kryo, Output out, DenseChunk c) {
      out.writeLong(c.sequence());
      out.writeInt(c.index());
      out.writeInt(c.label());
      out.writeInt(c.steps());
      out.writeInt(c.channels());
      out.writeInt(c.values().length);
      out.writeFloats(c.values());
      writeSupervision(out, c.supervision());
    }

    @Override
    public DenseChunk read(Kryo kryo, Input in, Class<DenseChunk> type) {
      long sequence = in.readLong();
      int index = in.readInt();
      int label = in.readInt();
      int steps = in.readInt();
      int channels = in.readInt();
      float[] values = in.readFloats(in.readInt());
      return new DenseChunk(
          sequence, index, label, steps, channels, values, readSupervision(in, steps));
    }
  }

  private static final class EventChunkSerializer extends Serializer<EventChunk> {
    @Override
    public void write(Kryo kryo, Output out, EventChunk c) {
      out.writeLong(c.sequence());
      out.writeInt(c.index());
      out.writeInt(c.label());
      out.writeInt(c.steps());
      out.writeInt(c.times().length);
      out.writeInts(c.times());
      out.writeInts(c.channels());
      writeSupervision(out, c.supervision());
    }

    @Override
    public EventChunk read(Kryo kryo, Input in, Class<EventChunk> type) {
      long sequence = in.readLong();
      int index = in.readInt();
      int label = in.readInt();
      int steps = in.readInt();
      int n = in.readInt();
      int[] times = in.readInts(n);
      int[] channels = in.readInts(n);
      return new EventChunk(
          sequence, index, label, steps, times, channels, readSupervision(in, steps));
    }
  }

  /** A chunk's per-step supervision: 0 for none, 1 and the labels, or 2, the width and targets. */
  private static void writeSupervision(Output out, StepSupervision s) {
    if (s.labels() != null) {
      out.writeByte(1);
      out.writeInts(s.labels());
    } else if (s.targets() != null) {
      out.writeByte(2);
      out.writeInt(s.width());
      out.writeFloats(s.targets());
    } else {
      out.writeByte(0);
    }
  }

  private static StepSupervision readSupervision(Input in, int steps) {
    return switch (in.readByte()) {
      case 0 -> StepSupervision.NONE;
      case 1 -> StepSupervision.labels(in.readInts(steps));
      case 2 -> {
        int width = in.readInt();
        yield StepSupervision.targets(width, in.readFloats(steps * width));
      }
      default -> throw new IllegalStateException("chunk supervision: unknown kind");
    };
  }

  private static final class ChunkKeySerializer extends Serializer<ChunkKey> {
    @Override
    public void write(Kryo kryo, Output out, ChunkKey k) {
      out.writeInt(k.slot());
      out.writeInt(k.step());
      out.writeLong(k.sequence());
      out.writeInt(k.chunk());
    }

    @Override
    public ChunkKey read(Kryo kryo, Input in, Class<ChunkKey> type) {
      return new ChunkKey(in.readInt(), in.readInt(), in.readLong(), in.readInt());
    }
  }

  private static final class SegmentKeySerializer extends Serializer<SegmentKey> {
    @Override
    public void write(Kryo kryo, Output out, SegmentKey k) {
      out.writeInt(k.segment());
      out.writeInt(k.step());
      out.writeInt(k.microBatch());
      out.writeLong(k.sequence());
      out.writeInt(k.chunk());
    }

    @Override
    public SegmentKey read(Kryo kryo, Input in, Class<SegmentKey> type) {
      return new SegmentKey(in.readInt(), in.readInt(), in.readInt(), in.readLong(), in.readInt());
    }
  }

  private static final class GradientSumSerializer extends Serializer<GradientSum> {
    @Override
    public void write(Kryo kryo, Output out, GradientSum s) {
      GradientSumCodec.write(out, s);
    }

    @Override
    public GradientSum read(Kryo kryo, Input in, Class<GradientSum> type) {
      return GradientSumCodec.read(in);
    }
  }

  private static final class SequenceTableSerializer extends Serializer<SequenceTable> {
    @Override
    public void write(Kryo kryo, Output out, SequenceTable t) {
      out.writeInt(t.size());
      out.writeLongs(t.ids());
      out.writeLongs(t.lengths());
    }

    @Override
    public SequenceTable read(Kryo kryo, Input in, Class<SequenceTable> type) {
      int n = in.readInt();
      return new SequenceTable(in.readLongs(n), in.readLongs(n));
    }
  }

  private static final class EpochPlanSerializer extends Serializer<EpochPlan> {
    @Override
    public void write(Kryo kryo, Output out, EpochPlan p) {
      out.writeInt(p.epoch());
      out.writeInt(p.slots());
      kryo.writeObject(out, p.table());
      out.writeInt(p.step().length);
      out.writeInts(p.step());
      out.writeInts(p.slot());
      out.writeInt(p.batchSizes().length);
      out.writeInts(p.batchSizes());
    }

    @Override
    public EpochPlan read(Kryo kryo, Input in, Class<EpochPlan> type) {
      int epoch = in.readInt();
      int slots = in.readInt();
      SequenceTable table = kryo.readObject(in, SequenceTable.class);
      int n = in.readInt();
      int[] step = in.readInts(n);
      int[] slot = in.readInts(n);
      int[] sizes = in.readInts(in.readInt());
      return new EpochPlan(epoch, slots, table, step, slot, sizes);
    }
  }
}
