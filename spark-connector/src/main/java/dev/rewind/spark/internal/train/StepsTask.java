package dev.rewind.spark.internal.train;

import dev.rewind.spark.internal.data.Chunk;
import dev.rewind.spark.internal.train.StepMessages.Contribution;
import dev.rewind.spark.internal.train.StepMessages.Join;
import dev.rewind.spark.internal.train.StepMessages.Next;
import java.io.IOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction2;
import org.apache.spark.rpc.RpcEndpointRef;
import org.apache.spark.rpc.RpcTimeout;
import org.apache.spark.util.RpcUtils;
import scala.Tuple2;
import scala.concurrent.Await;
import scala.concurrent.Future;
import scala.concurrent.duration.Duration;
import scala.concurrent.duration.FiniteDuration;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * The task of a multi-step job: joins the driver's {@link StepExchange}, then computes its slot's
 * share of each step it is given ({@link SlotStep}) at the parameters that come with it, sends the
 * sum and waits for the next step, until the driver says the job is done. When the job ends an
 * epoch with held-out data, the driver's last request is the score of the task's held-out slot
 * ({@link HeldOutPasses}) at the epoch's final parameters. It returns nothing: what it computes
 * reaches the driver through the exchange.
 *
 * <p>It waits on the reply itself, so the next step starts as soon as the reply arrives (Spark's
 * barrier {@code allGather} sleeps a second between looks), and checks every 100 ms whether Spark
 * killed it.
 */
final class StepsTask
    implements FlatMapFunction2<
        Iterator<Tuple2<ChunkKey, Chunk>>, Iterator<Tuple2<ChunkKey, Chunk>>, Void> {
  private static final long serialVersionUID = 1L;
  private static final FiniteDuration POLL = Duration.create(100, TimeUnit.MILLISECONDS);
  private static final ClassTag<Next> NEXT = ClassTag$.MODULE$.apply(Next.class);

  /** How long a task waits for the others: a step of a long sequence can take hours. */
  private static final RpcTimeout WAIT = new RpcTimeout(Duration.create(365, TimeUnit.DAYS), "");

  private final TaskSetup setup;
  private final String exchange;
  private final long job;
  private final HeldOutPasses heldOut;

  /**
   * @param heldOut how the task scores its held-out slot; null when the job does not score
   */
  StepsTask(TaskSetup setup, String exchange, long job, HeldOutPasses heldOut) {
    this.setup = setup;
    this.exchange = exchange;
    this.job = job;
    this.heldOut = heldOut;
  }

  /** A task over the slot's training chunks {@code rows} and its held-out chunks. */
  @Override
  public Iterator<Void> call(
      Iterator<Tuple2<ChunkKey, Chunk>> rows, Iterator<Tuple2<ChunkKey, Chunk>> heldOutRows)
      throws Exception {
    TaskContext context = TaskContext.get();
    int slot = context.partitionId();
    int attempt = context.stageAttemptNumber();
    SparkEnv env = SparkEnv.get();
    RpcEndpointRef driver = RpcUtils.makeDriverRef(exchange, env.conf(), env.rpcEnv());
    SlotChunks chunks = new SlotChunks(rows);
    try (SlotStep share = new SlotStep(setup, context)) {
      Next next = ask(driver, new Join(job, attempt, slot), context);
      while (!next.done()) {
        GradientSum sum =
            next.score()
                ? scoreOnce(heldOutRows, next.parameters())
                : share.sum(chunks.step(next.step()), next.parameters());
        next = ask(driver, new Contribution(job, attempt, slot, next.step(), sum), context);
      }
    }
    return Collections.emptyIterator();
  }

  private GradientSum scoreOnce(Iterator<Tuple2<ChunkKey, Chunk>> rows, float[] parameters)
      throws IOException {
    if (heldOut == null) {
      throw new IllegalStateException("job " + job + " was asked for a score it has no data for");
    }
    return heldOut.score(rows, parameters);
  }

  private static Next ask(RpcEndpointRef driver, Object message, TaskContext context)
      throws InterruptedException {
    Future<Next> reply = driver.ask(message, WAIT, NEXT);
    while (true) {
      try {
        return Await.result(reply, POLL);
      } catch (TimeoutException e) {
        context.killTaskIfInterrupted();
      }
    }
  }
}
