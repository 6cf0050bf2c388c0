package dev.rewind.trainer.petra;

/**
 * How PETRA's stages exchange data: activations (with labels) go up from stage j to j + 1, (rebuilt
 * input, input gradient) pairs go down from j + 1 to j. Each direction between two neighbours is a
 * FIFO channel; sends may block while a channel is full and receives block until a message arrives.
 * Implementations must be safe for one sending and one receiving thread per channel, and must let a
 * blocked call end with {@link InterruptedException} when its thread is interrupted.
 */
interface StageTransport {

  /** Sends {@code message} to stage {@code toStage} (from {@code toStage - 1}). */
  void sendForward(int toStage, ForwardMessage message) throws InterruptedException;

  /** The next activation for stage {@code stage}. */
  ForwardMessage receiveForward(int stage) throws InterruptedException;

  /** Sends {@code message} to stage {@code toStage} (from {@code toStage + 1}). */
  void sendBackward(int toStage, BackwardMessage message) throws InterruptedException;

  /** The next (input, gradient) pair for stage {@code stage}. */
  BackwardMessage receiveBackward(int stage) throws InterruptedException;

  /** An activation going up: micro-batch id, the sender's output and the labels for the head. */
  record ForwardMessage(long id, Activation activation, int[] labels) {}

  /** Going down: micro-batch id, the sender's rebuilt input and dL/d(input). */
  record BackwardMessage(long id, Activation input, Activation gradient) {}
}
