package dev.rewind.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rewind.spark.internal.data.DenseChunk;
import dev.rewind.spark.internal.data.EventChunk;
import dev.rewind.spark.internal.data.StepSupervision;
import dev.rewind.spark.internal.train.ChunkKey;
import dev.rewind.spark.internal.train.EpochPlan;
import dev.rewind.spark.internal.train.GradientSum;
import dev.rewind.spark.internal.train.SequenceResult;
import dev.rewind.spark.internal.train.SequenceTable;
import dev.rewind.spark.internal.train.TaskSchedule;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

/** Every class that crosses the wire round-trips through Kryo with registration required. */
class RewindKryoRegistratorTest {
  private final SerializerInstance kryo =
      new KryoSerializer(
              new SparkConf()
                  .set("spark.kryo.registrator", RewindKryoRegistrator.class.getName())
                  .set("spark.kryo.registrationRequired", "true"))
          .newInstance();

  @SuppressWarnings("unchecked")
  private <T> T roundTrip(T value) {
    Object back =
        kryo.deserialize(
            kryo.serialize(value, ClassTag$.MODULE$.apply(Object.class)),
            ClassTag$.MODULE$.apply(Object.class));
    return (T) back;
  }

  @Test
  void chunksAndKeys() {
    DenseChunk dense = new DenseChunk(7, 2, 1, 3, 2, new float[] {1, 0, 0, 2.5f, -1, 0});
    DenseChunk d = roundTrip(dense);
    assertEquals(dense.sequence(), d.sequence());
    assertEquals(dense.index(), d.index());
    assertEquals(dense.label(), d.label());
    assertEquals(dense.channels(), d.channels());
    assertArrayEquals(dense.values(), d.values());
    EventChunk events = new EventChunk(9, 0, 0, 5, new int[] {0, 0, 4}, new int[] {3, 1, 2});
    EventChunk e = roundTrip(events);
    assertEquals(events.steps(), e.steps());
    assertArrayEquals(events.times(), e.times());
    assertArrayEquals(events.channels(), e.channels());
    ChunkKey key = new ChunkKey(1, 4, 123456789012L, 3);
    assertEquals(key, roundTrip(key));
  }

  @Test
  void chunksKeepTheirPerStepLabelsAndTargets() {
    DenseChunk labelled =
        new DenseChunk(7, 2, 0, 3, 2, new float[6], StepSupervision.labels(new int[] {-1, 1, 0}));
    assertArrayEquals(new int[] {-1, 1, 0}, roundTrip(labelled).supervision().labels());
    assertNull(roundTrip(labelled).supervision().targets());
    float[] targets = {0.5f, Float.NaN, -2, 1, Float.NaN, Float.NaN, 3, 4, 5, 6};
    EventChunk targeted =
        new EventChunk(
            9, 0, 0, 5, new int[] {4}, new int[] {1}, StepSupervision.targets(2, targets));
    StepSupervision back = roundTrip(targeted).supervision();
    assertEquals(2, back.width());
    assertArrayEquals(targets, back.targets());
    assertEquals(
        StepSupervision.NONE,
        roundTrip(new EventChunk(1, 0, 0, 2, new int[0], new int[0])).supervision());
  }

  @Test
  void gradientSumKeepsEveryField() {
    GradientSum sum = new GradientSum(3);
    sum.add(new SequenceResult(0.5, 1, 1, new float[] {1, -2, 3}, 40, 4, 7, 9), 1);
    sum.addTaskCost(1000, 20, 300);
    GradientSum back = roundTrip(sum);
    assertArrayEquals(sum.meanGradient(), back.meanGradient());
    assertEquals(sum.meanLoss(), back.meanLoss());
    assertEquals(sum.accuracy(), back.accuracy());
    assertEquals(sum.sequences(), back.sequences());
    assertEquals(sum.forwardSteps(), back.forwardSteps());
    assertEquals(sum.recomputedSteps(), back.recomputedSteps());
    assertEquals(sum.bytesWritten(), back.bytesWritten());
    assertEquals(sum.ioBlockedNanos(), back.ioBlockedNanos());
    assertEquals(sum.taskNanos(), back.taskNanos());
    // Without a gradient (an aggregation's zero, a held-out score): merging takes the other's size.
    GradientSum sizeless = roundTrip(GradientSum.none());
    assertEquals(0, sizeless.sequences());
    assertArrayEquals(sum.meanGradient(), sizeless.merge(sum).meanGradient());
  }

  @Test
  void epochPlan() {
    SequenceTable table = SequenceTable.of(new long[] {5, 1, 9}, new long[] {10, 20, 30});
    EpochPlan plan = EpochPlan.create(table, 3, 1, 2, 2);
    EpochPlan back = roundTrip(plan);
    assertArrayEquals(plan.step(), back.step());
    assertArrayEquals(plan.slot(), back.slot());
    assertArrayEquals(plan.batchSizes(), back.batchSizes());
    assertArrayEquals(plan.table().ids(), back.table().ids());
    assertArrayEquals(plan.table().lengths(), back.table().lengths());
  }

  @Test
  void unregisteredClassesAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> kryo.serialize(TaskSchedule.of("auto", "1m"), ClassTag$.MODULE$.apply(Object.class)));
  }
}
