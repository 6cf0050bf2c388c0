package dev.rewind.examples.cli;

import dev.rewind.examples.datasets.DeltaEncoding;
import dev.rewind.examples.datasets.FashionMnist;
import dev.rewind.examples.datasets.ImageEncoding;
import dev.rewind.examples.datasets.LabelledImages;
import dev.rewind.examples.datasets.LatencyEncoding;
import dev.rewind.examples.datasets.RandmanTask;
import dev.rewind.examples.datasets.SequentialEncoding;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.data.LongMemoryTask;
import dev.rewind.trainer.model.LossSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * Which dataset to train on and its options. Each task-specific option names its tasks in its help
 * text; giving an option that the chosen task does not read is an error, not ignored.
 */
final class TaskOptions {
  static final String LONG_MEMORY = "long-memory";
  static final String RANDMAN = "randman";
  static final String FMNIST_SEQ = "fmnist-seq";
  static final String FMNIST_SPIKES = "fmnist-spikes";

  /** Which tasks read each task-specific option. */
  private static final Map<String, Set<String>> READERS =
      Map.ofEntries(
          Map.entry("--steps", Set.of(LONG_MEMORY, RANDMAN, FMNIST_SPIKES)),
          Map.entry("--channels", Set.of(LONG_MEMORY, RANDMAN)),
          Map.entry("--classes", Set.of(LONG_MEMORY, RANDMAN)),
          Map.entry("--delay", Set.of(LONG_MEMORY)),
          Map.entry("--cue-length", Set.of(LONG_MEMORY)),
          Map.entry("--recall-window", Set.of(LONG_MEMORY)),
          Map.entry("--distractor-rate", Set.of(LONG_MEMORY)),
          Map.entry("--manifold-dim", Set.of(RANDMAN)),
          Map.entry("--smoothness", Set.of(RANDMAN)),
          Map.entry("--fmnist-dir", Set.of(FMNIST_SEQ, FMNIST_SPIKES)),
          Map.entry("--pixels-per-step", Set.of(FMNIST_SEQ)),
          Map.entry("--spike-threshold", Set.of(FMNIST_SPIKES)),
          Map.entry("--encoding", Set.of(FMNIST_SPIKES)));

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--task",
      defaultValue = LONG_MEMORY,
      description =
          "Dataset: long-memory (synthetic cue/recall, default), randman (random-manifold spike"
              + " timing), fmnist-seq (Fashion-MNIST pixel by pixel), fmnist-spikes"
              + " (Fashion-MNIST as spikes, see --encoding). Options marked [task] apply to those tasks.")
  String task;

  @Option(
      names = "--steps",
      defaultValue = "1000",
      description = "[long-memory, randman, fmnist-spikes] Sequence length T (default 1000).")
  int steps;

  @Option(
      names = "--channels",
      defaultValue = "40",
      description = "[long-memory, randman] Input channels (default 40).")
  int channels;

  @Option(
      names = "--classes",
      defaultValue = "2",
      description = "[long-memory, randman] Number of classes (default 2).")
  int classes;

  @Option(
      names = "--delay",
      defaultValue = "500",
      description = "[long-memory] Steps between the cue and the recall window (default 500).")
  int delay;

  @Option(
      names = "--cue-length",
      defaultValue = "50",
      description = "[long-memory] Steps of the cue (default 50).")
  int cueLength;

  @Option(
      names = "--recall-window",
      defaultValue = "50",
      description = "[long-memory] Steps of the recall (default 50).")
  int recallWindow;

  @Option(
      names = "--distractor-rate",
      defaultValue = "0.02",
      description = "[long-memory] Spike probability of every channel at every step (0.02).")
  double distractorRate;

  @Option(
      names = "--manifold-dim",
      defaultValue = "1",
      description = "[randman] Dimension of each class's latent manifold (default 1).")
  int manifoldDim;

  @Option(
      names = "--smoothness",
      defaultValue = "1.0",
      description =
          "[randman] Decay exponent of the manifolds' Fourier modes; larger is smoother"
              + " (default 1.0). Samples per class = --train-size (or --test-size) / --classes.")
  double smoothness;

  @Option(
      names = "--fmnist-dir",
      defaultValue = "/usr/share/datasets/fashion-mnist",
      description =
          "[fmnist-seq, fmnist-spikes] Folder with the IDX files (gz or plain) of Debian's"
              + " dataset-fashion-mnist (default ${DEFAULT-VALUE}). --train-size and --test-size"
              + " take the first images of the official train and t10k files.")
  Path fmnistDir;

  @Option(
      names = "--pixels-per-step",
      defaultValue = "1",
      description =
          "[fmnist-seq] Pixels read per step, in raster order, one input channel each: 1 gives"
              + " 784 steps on 1 channel (default), 28 gives one row per step.")
  int pixelsPerStep;

  @Option(
      names = "--spike-threshold",
      defaultValue = "0.2",
      description =
          "[fmnist-spikes] latency: pixels below this intensity (in [0,1]) never spike, the"
              + " others spike once, brighter earlier, over --steps steps; delta: the intensity"
              + " change along the scan that emits a spike (default 0.2).")
  double spikeThreshold;

  @Option(
      names = "--encoding",
      defaultValue = "latency",
      description =
          "[fmnist-spikes] latency (one channel per pixel, one spike each) or delta (raster"
              + " scan stretched to --steps steps, ON/OFF spikes when the intensity changes by"
              + " more than --spike-threshold; 2 channels). Default ${DEFAULT-VALUE}.")
  String encoding;

  /**
   * The batches of a task, with the model's input and output sizes, a one-line summary and whether
   * its inputs are dense real values (every channel at every step) rather than sparse spikes.
   */
  record TaskData(
      String description,
      int channels,
      int classes,
      List<? extends FrameSource> train,
      List<? extends FrameSource> test,
      boolean denseInputs) {}

  /**
   * Training and test sets of {@code trainSize} and {@code testSize} sequences (each a positive
   * multiple of {@code batch}, or 0 for none), deterministic from {@code seed}.
   */
  TaskData load(int trainSize, int testSize, int batch, long seed) throws IOException {
    return load(trainSize, testSize, batch, seed, LossSpec.MEAN);
  }

  /**
   * As {@link #load(int, int, int, long)}, with what {@code head} scores: under per-step the
   * sequences carry a label at every step, under regression a target vector (only the long-memory
   * task has them: its recall window).
   */
  TaskData load(int trainSize, int testSize, int batch, long seed, LossSpec head)
      throws IOException {
    checkOptionsApply();
    if (head.perStep() && !task.equals(LONG_MEMORY)) {
      throw new IllegalArgumentException(
          "per-step labels or targets (--loss per-step|regression, --step-labels, --step-targets):"
              + " expected --task long-memory, which scores every step of its recall window, got"
              + " --task "
              + task);
    }
    return switch (task) {
      case LONG_MEMORY -> {
        LongMemoryTask t =
            new LongMemoryTask(
                steps, delay, channels, classes, cueLength, distractorRate, recallWindow);
        yield new TaskData(
            String.format(
                Locale.ROOT,
                "long-memory task: T=%d, delay=%d, %d train / %d test sequences%s",
                steps,
                delay,
                trainSize,
                testSize,
                head.regression()
                    ? ", a one-hot target at every recall step"
                    : head.perStep() ? ", a label at every recall step" : ""),
            channels,
            classes,
            longMemory(t, trainSize, batch, seed, head),
            longMemory(t, testSize, batch, seed + 1, head),
            false);
      }
      case RANDMAN -> {
        RandmanTask t = new RandmanTask(channels, classes, steps, manifoldDim, smoothness, seed);
        yield new TaskData(
            String.format(
                Locale.ROOT,
                "randman task: T=%d, %d channels, %d classes, manifold dim %d, smoothness %s,"
                    + " %d train / %d test sequences",
                steps,
                channels,
                classes,
                manifoldDim,
                smoothness,
                trainSize,
                testSize),
            channels,
            classes,
            randman(t, "--train-size", trainSize, batch, seed * 1_000_003L + 1),
            randman(t, "--test-size", testSize, batch, seed * 1_000_003L + 2),
            false);
      }
      case FMNIST_SEQ, FMNIST_SPIKES -> {
        ImageEncoding encoding =
            task.equals(FMNIST_SEQ) ? new SequentialEncoding(pixelsPerStep) : spikeEncoding();
        List<FrameSource> train = fmnist(FashionMnist.Split.TRAIN, encoding, trainSize, batch);
        List<FrameSource> test = fmnist(FashionMnist.Split.TEST, encoding, testSize, batch);
        FrameSource any = train.isEmpty() ? test.get(0) : train.get(0);
        yield new TaskData(
            String.format(
                Locale.ROOT,
                "%s: Fashion-MNIST %s, T=%d, %d channels; first %d train / %d test images of %s",
                task,
                encoding,
                any.steps(),
                any.channels(),
                trainSize,
                testSize,
                fmnistDir),
            any.channels(),
            FashionMnist.CLASSES,
            train,
            test,
            task.equals(FMNIST_SEQ));
      }
      default ->
          throw new IllegalArgumentException(
              "--task: expected long-memory, randman, fmnist-seq or fmnist-spikes, got '"
                  + task
                  + "'");
    };
  }

  private ImageEncoding spikeEncoding() {
    return switch (encoding) {
      case "latency" -> new LatencyEncoding(steps, spikeThreshold);
      case "delta" -> new DeltaEncoding(steps, spikeThreshold);
      default ->
          throw new IllegalArgumentException(
              "--encoding: expected latency or delta, got '" + encoding + "'");
    };
  }

  private void checkOptionsApply() {
    ParseResult parsed = mixee.commandLine().getParseResult();
    for (Map.Entry<String, Set<String>> e : READERS.entrySet()) {
      if (parsed.hasMatchedOption(e.getKey()) && !e.getValue().contains(task)) {
        throw new IllegalArgumentException(
            e.getKey()
                + ": expected only with --task "
                + String.join(" or ", e.getValue().stream().sorted().toList())
                + ", got --task "
                + task);
      }
    }
  }

  private static void checkCount(String what, int count, int batch) {
    if (batch < 1 || count < 0 || count % batch != 0) {
      throw new IllegalArgumentException(
          what
              + ": expected 0 or a positive multiple of the batch size "
              + batch
              + ", got "
              + count);
    }
  }

  private static List<FrameSource> longMemory(
      LongMemoryTask t, int count, int batch, long seed, LossSpec head) {
    checkCount("sequence count", count, batch);
    List<FrameSource> out = new ArrayList<>();
    for (int i = 0; i < count / batch; i++) {
      long s = seed * 1_000_003L + i;
      out.add(
          head.regression()
              ? t.generateStepTargeted(batch, s)
              : head.perStep() ? t.generateStepLabelled(batch, s) : t.generate(batch, s));
    }
    return out;
  }

  private static List<FrameSource> randman(
      RandmanTask t, String option, int count, int batch, long seed) {
    checkCount(option, count, batch);
    if (count % t.classes() != 0) {
      throw new IllegalArgumentException(
          option
              + ": expected a multiple of --classes "
              + t.classes()
              + " (samples per class = size / classes), got "
              + count);
    }
    return count == 0 ? List.of() : List.copyOf(t.batches(count / t.classes(), batch, seed));
  }

  private List<FrameSource> fmnist(
      FashionMnist.Split split, ImageEncoding encoding, int count, int batch) throws IOException {
    checkCount(split == FashionMnist.Split.TRAIN ? "--train-size" : "--test-size", count, batch);
    if (count == 0) {
      return List.of();
    }
    LabelledImages images = FashionMnist.load(fmnistDir, split, count);
    return encoding.batches(images, batch);
  }
}
