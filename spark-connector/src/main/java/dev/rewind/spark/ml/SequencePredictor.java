package dev.rewind.spark.ml;

import dev.rewind.trainer.bptt.LifEngine;
import dev.rewind.trainer.bptt.NetworkState;
import dev.rewind.trainer.bptt.StoreAllBptt;
import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.model.LossSpec;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.Parameters;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * What the model predicts for one sequence, by its loss head, after a forward pass: under mean and
 * last:K the most probable class and the class probabilities (softmax of the head's logits); under
 * per-step the most probable class and the probabilities at every step (softmax of u_t); under
 * regression the readout u_t at every step. One instance per task; not thread-safe.
 */
final class SequencePredictor {
  private final LossSpec loss;
  private final Parameters parameters;
  private final StoreAllBptt bptt;
  private final NetworkState state;

  SequencePredictor(ModelConfig config, float[] parameters) {
    this.loss = config.loss();
    this.parameters = Parameters.wrap(config, parameters);
    this.bptt = new StoreAllBptt(config, 1);
    this.state = new NetworkState(config, 1);
  }

  /**
   * The prediction columns {@code transform} appends under {@code loss}: {@code prediction} and,
   * except under regression, {@code probability}.
   */
  static StructType outputColumns(
      StructType base, LossSpec loss, String prediction, String probability) {
    DataType floats = DataTypes.createArrayType(DataTypes.FloatType, false);
    DataType perStep = DataTypes.createArrayType(floats, false);
    if (loss.regression()) {
      return base.add(prediction, perStep, false);
    }
    if (loss.perStep()) {
      return base.add(prediction, DataTypes.createArrayType(DataTypes.IntegerType, false), false)
          .add(probability, perStep, false);
    }
    return base.add(prediction, DataTypes.DoubleType, false)
        .add(probability, org.apache.spark.ml.linalg.SQLDataTypes.VectorType(), false);
  }

  /** The values of {@link #outputColumns} for the one sequence in {@code frames}. */
  Object[] predict(FrameSource frames) {
    if (!loss.perStep()) {
      Vector p = Vectors.dense(softmax(bptt.evaluate(parameters, frames).logits()));
      // Spark ML predictions are doubles; the first most probable class on ties.
      return new Object[] {(double) p.argmax(), p};
    }
    LifEngine engine = bptt.engine();
    engine.loadParameters(parameters);
    engine.placeWhole();
    state.reset();
    int steps = frames.steps();
    Object[] outputs = new Object[steps];
    Object[] classes = new Object[steps];
    for (int t = 0; t < steps; t++) {
      engine.advance(state, t, t + 1, frames, null);
      float[] u = state.readout();
      if (loss.regression()) {
        outputs[t] = scala.Predef.wrapFloatArray(u.clone());
      } else {
        double[] p = softmax(u);
        Vector v = Vectors.dense(p);
        classes[t] = v.argmax();
        float[] pf = new float[p.length];
        for (int c = 0; c < p.length; c++) {
          pf[c] = (float) p[c];
        }
        outputs[t] = scala.Predef.wrapFloatArray(pf);
      }
    }
    scala.collection.Seq<Object> perStep = scala.Predef.wrapRefArray(outputs);
    return loss.regression()
        ? new Object[] {perStep}
        : new Object[] {scala.Predef.wrapRefArray(classes), perStep};
  }

  private static double[] softmax(float[] logits) {
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
    return p;
  }
}
