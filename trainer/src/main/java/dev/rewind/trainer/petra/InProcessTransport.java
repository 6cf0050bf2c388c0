package dev.rewind.trainer.petra;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/** {@link StageTransport} between threads of one JVM: bounded blocking queues, one per channel. */
final class InProcessTransport implements StageTransport {
  private final List<BlockingQueue<ForwardMessage>> up = new ArrayList<>();
  private final List<BlockingQueue<BackwardMessage>> down = new ArrayList<>();

  /**
   * Channels for {@code stages} stages holding at most {@code capacity} messages each.
   *
   * @throws IllegalArgumentException if {@code stages < 1} or {@code capacity < 1}
   */
  public InProcessTransport(int stages, int capacity) {
    if (stages < 1 || capacity < 1) {
      throw new IllegalArgumentException(
          "stages, capacity: expected >= 1, got " + stages + ", " + capacity);
    }
    for (int j = 0; j < stages; j++) {
      up.add(new ArrayBlockingQueue<>(capacity));
      down.add(new ArrayBlockingQueue<>(capacity));
    }
  }

  @Override
  public void sendForward(int toStage, ForwardMessage message) throws InterruptedException {
    up.get(toStage).put(message);
  }

  @Override
  public ForwardMessage receiveForward(int stage) throws InterruptedException {
    return up.get(stage).take();
  }

  @Override
  public void sendBackward(int toStage, BackwardMessage message) throws InterruptedException {
    down.get(toStage).put(message);
  }

  @Override
  public BackwardMessage receiveBackward(int stage) throws InterruptedException {
    return down.get(stage).take();
  }
}
