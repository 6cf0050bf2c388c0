package dev.rewind.spark.internal.train;

import dev.rewind.spark.internal.train.StepMessages.Contribution;
import dev.rewind.spark.internal.train.StepMessages.Join;
import dev.rewind.spark.internal.train.StepMessages.Next;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Future;
import org.apache.spark.SparkEnv;
import org.apache.spark.rpc.RpcCallContext;
import org.apache.spark.rpc.RpcEndpoint;
import org.apache.spark.rpc.RpcEndpointRef;
import org.apache.spark.rpc.RpcEnv;
import org.apache.spark.rpc.ThreadSafeRpcEndpoint;
import scala.Function1;
import scala.PartialFunction;
import scala.runtime.AbstractPartialFunction;
import scala.runtime.BoxedUnit;

/**
 * The driver's end of a job that runs several optimizer steps: an endpoint on Spark's own RPC
 * environment (so it is authenticated and encrypted as {@code spark.authenticate} and {@code
 * spark.network.crypto.enabled} say, with no port of its own), where every task of the job sends
 * its slot's gradient sum for a step and waits for the parameters of the next. The driver takes a
 * step's merged sum ({@link #await}), updates the parameters as for a one-step job, and hands the
 * next step out ({@link #release}).
 *
 * <p>A retried or speculative task joins at the step the driver is on; a second contribution for a
 * slot's share of a step is dropped, since the same share at the same parameters gives the same sum
 * bit for bit. A step's shares are merged in slot order once all are in, so neither the gradient
 * nor the loss depends on the order they arrive in. When Spark runs the job's stage again (a lost
 * executor's shuffle output, say), the tasks of the earlier stage attempt still waiting here are
 * failed, so that they free their slots for the new attempt's tasks instead of waiting for shares
 * only those tasks can send.
 */
final class StepExchange implements ThreadSafeRpcEndpoint {
  private static final long POLL_MILLIS = 20;
  private final RpcEnv rpcEnv;
  private final String name;
  private final RpcEndpointRef self;

  // What follows is guarded by this.
  private long job = -1;
  private int step;
  private final GradientSum[] shares;
  private GradientSum complete;

  /** What a task asking now gets; null while the driver updates the parameters. */
  private Next next;

  /** The latest stage attempt of the job seen; earlier attempts' tasks are turned away. */
  private int attempt;

  private final List<Waiting> waiting = new ArrayList<>();

  private record Waiting(RpcCallContext context, int attempt) {}

  /** Registers an exchange for {@code slots} tasks on the driver's RPC environment. */
  StepExchange(String name, int slots) {
    RpcEndpoint.$init$(this);
    this.rpcEnv = SparkEnv.get().rpcEnv();
    this.name = name;
    this.shares = new GradientSum[slots];
    this.self = rpcEnv.setupEndpoint(name, this);
  }

  /** The name tasks look the exchange up by. */
  String name() {
    return name;
  }

  /** Starts job {@code id}: its tasks join at step {@code first}, at {@code parameters}. */
  synchronized void open(long id, int first, float[] parameters) {
    failWaiting(new IllegalStateException("job " + job + " was replaced by job " + id));
    job = id;
    attempt = 0;
    collect(first, parameters, false);
  }

  /**
   * Step {@code s}'s merged sum once every slot's share is in; fails with the job's own error when
   * the job ends first.
   */
  synchronized GradientSum await(int s, Future<?> jobFuture) {
    while (complete == null || step != s) {
      if (jobFuture.isDone()) {
        JobFailures.rethrow(jobFuture);
        throw new IllegalStateException(
            "multi-step job " + job + " ended before every slot sent step " + (s + 1));
      }
      try {
        wait(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for step " + (s + 1), e);
      }
    }
    GradientSum done = complete;
    complete = null;
    return done;
  }

  /** Hands out step {@code s} at {@code parameters} to the waiting tasks. */
  synchronized void release(int s, float[] parameters) {
    collect(s, parameters, false);
  }

  /**
   * Asks the waiting tasks for their held-out scores at {@code parameters}, as step {@code s}
   * (after the job's last gradient step); {@link #await} returns their merged score.
   */
  synchronized void score(int s, float[] parameters) {
    collect(s, parameters, true);
  }

  /** Ends the job's tasks once they have sent their last step. */
  synchronized void finish() {
    next = Next.DONE;
    replyWaiting();
  }

  /** Fails every task waiting here (the driver gave up the job). */
  synchronized void abort(Throwable why) {
    next = null;
    failWaiting(why);
    job = -1;
  }

  /** Spark runs the job's stage again as attempt {@code newer}: earlier attempts' tasks end. */
  synchronized void supersede(int newer) {
    if (newer <= attempt) {
      return;
    }
    attempt = newer;
    List<Waiting> kept = new ArrayList<>();
    for (Waiting w : waiting) {
      if (w.attempt() < newer) {
        w.context().sendFailure(stale("stage attempt " + w.attempt()));
      } else {
        kept.add(w);
      }
    }
    waiting.clear();
    waiting.addAll(kept);
  }

  /** Removes the endpoint. */
  void close() {
    rpcEnv.stop(self);
  }

  private void collect(int s, float[] parameters, boolean score) {
    step = s;
    Arrays.fill(shares, null);
    complete = null;
    next = new Next(s, parameters.clone(), score);
    replyWaiting();
  }

  /** Whether a task of job {@code id}, stage attempt {@code taskAttempt}, is still wanted. */
  private boolean current(long id, int taskAttempt, RpcCallContext context) {
    if (id == job) {
      supersede(taskAttempt);
      if (taskAttempt == attempt) {
        return true;
      }
    }
    context.sendFailure(stale("job " + id + ", stage attempt " + taskAttempt));
    return false;
  }

  private void join(Join m, RpcCallContext context) {
    if (!current(m.job(), m.attempt(), context)) {
      return;
    }
    if (next != null) {
      context.reply(next);
    } else {
      waiting.add(new Waiting(context, m.attempt()));
    }
  }

  private void contribute(Contribution m, RpcCallContext context) {
    if (!current(m.job(), m.attempt(), context)) {
      return;
    }
    if (m.step() == step && complete == null && next != null && shares[m.slot()] == null) {
      shares[m.slot()] = m.sum();
      if (Arrays.stream(shares).allMatch(Objects::nonNull)) {
        complete = GradientSum.inOrder(Arrays.asList(shares));
        next = null;
        notifyAll();
      }
    }
    // A late copy of a step already applied gets the step the others are on.
    if (next != null && (next.done() || next.step() > m.step())) {
      context.reply(next);
    } else {
      waiting.add(new Waiting(context, m.attempt()));
    }
  }

  private void replyWaiting() {
    for (Waiting w : waiting) {
      w.context().reply(next);
    }
    waiting.clear();
  }

  private void failWaiting(Throwable why) {
    for (Waiting w : waiting) {
      w.context().sendFailure(why);
    }
    waiting.clear();
  }

  private IllegalStateException stale(String what) {
    return new IllegalStateException(
        "exchange "
            + name
            + ": "
            + what
            + " is over (job "
            + job
            + ", attempt "
            + attempt
            + " now)");
  }

  @Override
  public RpcEnv rpcEnv() {
    return rpcEnv;
  }

  @Override
  public PartialFunction<Object, BoxedUnit> receiveAndReply(RpcCallContext context) {
    return new AbstractPartialFunction<>() {
      @Override
      public boolean isDefinedAt(Object message) {
        return message instanceof Join || message instanceof Contribution;
      }

      @Override
      public <A1, B1> B1 applyOrElse(A1 message, Function1<A1, B1> otherwise) {
        synchronized (StepExchange.this) {
          if (message instanceof Join j) {
            join(j, context);
          } else if (message instanceof Contribution c) {
            contribute(c, context);
          } else {
            return otherwise.apply(message);
          }
        }
        @SuppressWarnings("unchecked")
        B1 unit = (B1) BoxedUnit.UNIT;
        return unit;
      }
    };
  }
}
