package dev.rewind.spark.internal.train;

import java.io.Serializable;

/** What the tasks of a multi-step job and the driver's {@link StepExchange} say to each other. */
final class StepMessages {
  private StepMessages() {}

  /**
   * A task of job {@code job}, stage attempt {@code attempt}, starts for slot {@code slot}: which
   * step, at which parameters?
   */
  record Join(long job, int attempt, int slot) implements Serializable {}

  /**
   * Slot {@code slot}'s share of step {@code step} (of the held-out score when that step scores);
   * the reply is the step after it.
   */
  record Contribution(long job, int attempt, int slot, int step, GradientSum sum)
      implements Serializable {}

  /**
   * The step a task computes next and its parameters: a gradient step, or, when {@code score}, the
   * held-out score at the epoch's final parameters; {@link #DONE} ends the task.
   */
  record Next(int step, float[] parameters, boolean score) implements Serializable {
    static final Next DONE = new Next(-1, null, false);

    boolean done() {
      return step < 0;
    }
  }
}
