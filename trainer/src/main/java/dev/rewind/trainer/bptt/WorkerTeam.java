package dev.rewind.trainer.bptt;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Persistent threads that run one {@link Part} job in {@code parts} pieces per round: the caller
 * runs piece 0 and the workers pieces 1 .. parts-1, and {@link #run} returns when all are done. A
 * round costs two spin-then-park handshakes and no allocation, so a kernel can afford several per
 * time step. Teams are pooled ({@link #borrow}, {@link #giveBack}); their daemon threads park when
 * idle.
 */
final class WorkerTeam {
  /** One piece of a round's work. */
  interface Part {
    void run(int part);
  }

  /** Spins before parking: longer than the serial work between two rounds of a step. */
  private static final int SPINS = 1 << 14;

  private static final ConcurrentHashMap<Integer, ConcurrentLinkedDeque<WorkerTeam>> IDLE =
      new ConcurrentHashMap<>();

  private final int parts;
  private final Thread[] workers;
  private final AtomicInteger pending = new AtomicInteger();
  private volatile int round;
  private volatile Part job;
  private volatile Thread caller;
  private volatile boolean callerParked;
  private volatile Throwable failure;

  private WorkerTeam(int parts) {
    this.parts = parts;
    this.workers = new Thread[parts - 1];
    for (int w = 0; w < workers.length; w++) {
      int part = w + 1;
      Thread thread = new Thread(() -> work(part), "rewind-kernel-" + parts + "-" + part);
      thread.setDaemon(true);
      workers[w] = thread;
      thread.start();
    }
  }

  /** An idle team of {@code parts} pieces (parts >= 2), from the pool or new. */
  static WorkerTeam borrow(int parts) {
    WorkerTeam team = IDLE.computeIfAbsent(parts, p -> new ConcurrentLinkedDeque<>()).pollFirst();
    return team != null ? team : new WorkerTeam(parts);
  }

  static void giveBack(WorkerTeam team) {
    IDLE.get(team.parts).offerFirst(team);
  }

  int parts() {
    return parts;
  }

  /** Runs {@code part.run(p)} for every p in [0, parts), piece 0 on this thread. */
  void run(Part part) {
    caller = Thread.currentThread();
    job = part;
    pending.set(parts - 1);
    round++;
    for (Thread w : workers) {
      LockSupport.unpark(w);
    }
    Throwable own = null;
    try {
      part.run(0);
    } catch (RuntimeException | Error e) {
      own = e;
    }
    for (int spin = 0; pending.get() != 0; spin++) {
      if (spin < SPINS) {
        Thread.onSpinWait();
      } else {
        callerParked = true;
        if (pending.get() != 0) {
          LockSupport.park(this);
        }
        callerParked = false;
      }
    }
    job = null;
    Throwable workerFailure = failure;
    failure = null;
    rethrow(own != null ? own : workerFailure);
  }

  private static void rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
  }

  private void work(int part) {
    int seen = 0;
    while (true) {
      for (int spin = 0; round == seen; spin++) {
        if (spin < SPINS) {
          Thread.onSpinWait();
        } else {
          LockSupport.park(this);
        }
      }
      seen = round;
      try {
        job.run(part);
      } catch (RuntimeException | Error e) {
        failure = e;
      }
      if (pending.decrementAndGet() == 0 && callerParked) {
        LockSupport.unpark(caller);
      }
    }
  }
}
