package dev.rewind.spark.ml;

import dev.rewind.trainer.bptt.LossResult;
import dev.rewind.trainer.bptt.StoreAllBptt;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;

/**
 * Class probabilities of one sequence: softmax of the readout's logits after a forward pass. One
 * instance per task; not thread-safe.
 */
final class SequencePredictor {
  private final Parameters parameters;
  private final StoreAllBptt bptt;

  SequencePredictor(ModelConfig config, float[] parameters) {
    this.parameters = Parameters.wrap(config, parameters);
    this.bptt = new StoreAllBptt(config, 1);
  }

  /** The probabilities of the one sequence in {@code frames}. */
  Vector probabilities(FrameSource frames) {
    LossResult r = bptt.evaluate(parameters, frames);
    float[] logits = r.logits();
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l);
    }
    double[] p = new double[logits.length];
    double z = 0;
    for (int c = 0; c < p.length; c++) {
      p[c] = Math.exp(logits[c] - max);
      z += p[c];
    }
    for (int c = 0; c < p.length; c++) {
      p[c] /= z;
    }
    return Vectors.dense(p);
  }

  /** The most probable class (the first on ties), as Spark ML predictions are doubles. */
  static double argmax(Vector probabilities) {
    return probabilities.argmax();
  }
}
