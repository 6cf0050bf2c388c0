package dev.rewind.examples.cli;

import dev.rewind.trainer.data.EventFrames;
import dev.rewind.trainer.data.LongMemoryTask;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options of the built-in long-memory task and of how many sequences to draw from it. */
public final class TaskOptions {
  @Option(
      names = "--task",
      defaultValue = "long-memory",
      description = "Dataset; built in: long-memory (default).")
  String task;

  @Option(names = "--steps", defaultValue = "1000", description = "Sequence length T.")
  int steps;

  @Option(
      names = "--delay",
      defaultValue = "500",
      description = "Steps between the cue and the recall window.")
  int delay;

  @Option(names = "--channels", defaultValue = "40", description = "Input channels.")
  int channels;

  @Option(names = "--classes", defaultValue = "2", description = "Number of classes.")
  int classes;

  @Option(names = "--cue-length", defaultValue = "50", description = "Steps of the cue.")
  int cueLength;

  @Option(names = "--recall-window", defaultValue = "50", description = "Steps of the recall.")
  int recallWindow;

  @Option(
      names = "--distractor-rate",
      defaultValue = "0.02",
      description = "Spike probability of every channel at every step.")
  double distractorRate;

  LongMemoryTask task() {
    if (!task.equals("long-memory")) {
      throw new IllegalArgumentException("--task: expected long-memory, got '" + task + "'");
    }
    return new LongMemoryTask(
        steps, delay, channels, classes, cueLength, distractorRate, recallWindow);
  }

  /** {@code count} sequences in batches of {@code batch}, each batch seeded from {@code seed}. */
  List<EventFrames> batches(int count, int batch, long seed) {
    if (batch < 1 || count < batch || count % batch != 0) {
      throw new IllegalArgumentException(
          "sequence count: expected a positive multiple of the batch size "
              + batch
              + ", got "
              + count);
    }
    LongMemoryTask t = task();
    List<EventFrames> out = new ArrayList<>();
    for (int i = 0; i < count / batch; i++) {
      out.add(t.generate(batch, seed * 1_000_003L + i));
    }
    return out;
  }
}
