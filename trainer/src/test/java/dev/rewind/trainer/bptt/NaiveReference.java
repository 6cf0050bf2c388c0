package dev.rewind.trainer.bptt;

import dev.rewind.trainer.data.FrameSource;
import dev.rewind.trainer.model.LayerConfig;
import dev.rewind.trainer.model.ModelConfig;
import dev.rewind.trainer.model.ParameterLayout;
import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.model.Surrogate;
import dev.rewind.trainer.model.TensorView;

/**
 * A deliberately naive store-everything BPTT, written from MODEL_SPEC.md with dense loops.
 *
 * <p>The membrane potentials are computed in float with the spec's own order (c = b + W s + R s,
 * then v = beta v + (1 - beta) c - theta s; for an ALIF layer a = rho a + (1 - rho) s, A = theta +
 * kappa a, v = beta v + (1 - beta) c - A s, MODEL_SPEC v2): spikes are a threshold of v, so a
 * double forward would flip the spikes of neurons within float rounding of theta and compare
 * different networks. Everything differentiable after that, readout, loss and the whole backward
 * pass, is in double.
 */
final class NaiveReference {
  final double loss;
  final double[] logits;
  final double[] gradient;

  NaiveReference(Parameters parameters, FrameSource frames) {
    this(parameters, frames, 0);
  }

  /**
   * With {@code truncation} K > 0, truncated BPTT written out by hand: after the backward step of
   * every t > 0 with (T - t) a multiple of K, everything carried to earlier steps (the readout's,
   * the membranes' and the recurrent currents' adjoints) is dropped; the loss seed of each step
   * stays.
   */
  NaiveReference(Parameters parameters, FrameSource frames, int truncation) {
    ModelConfig cfg = parameters.config();
    ParameterLayout layout = parameters.layout();
    float[] p = parameters.data();
    int depth = cfg.depth();
    int batch = frames.batchSize();
    int steps = frames.steps();
    int classes = cfg.classes();
    float theta = (float) cfg.theta();
    // x[t][b][j], s[l][t][b][i] (s[l] for layer l+1), v likewise
    float[][][] x = new float[steps][batch][cfg.inputSize()];
    int[] idx = new int[cfg.inputSize()];
    float[] val = new float[cfg.inputSize()];
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < batch; b++) {
        int m = frames.fill(t, b, idx, val);
        for (int k = 0; k < m; k++) {
          x[t][b][idx[k]] = val[k];
        }
      }
    }
    float[][][][] s = new float[depth][steps][batch][];
    float[][][][] v = new float[depth][steps][batch][];
    // the threshold each spike was taken against: theta, or A_t in an ALIF layer
    float[][][][] th = new float[depth][steps][batch][];
    // trainable time constants (MODEL_SPEC v2): c_t and a_t, for d v_t / d beta and d a_t / d rho
    float[][][][] cur = new float[depth][steps][batch][];
    float[][][][] adapt = new float[depth][steps][batch][];
    for (int l = 0; l < depth; l++) {
      LayerConfig lc = cfg.layers().get(l);
      int n = lc.size();
      int nIn = cfg.width(l);
      TensorView w = layout.view("W" + (l + 1));
      TensorView bias = layout.view("b" + (l + 1));
      TensorView rv = lc.recurrent() ? layout.view("R" + (l + 1)) : null;
      float kappa = (float) lc.kappa();
      double[] betas = leaks(lc.trainTau(), lc.beta(), p, layout, "q" + (l + 1), n);
      double[] rhos = leaks(lc.trainTau() && lc.adaptive(), lc.rho(), p, layout, "p" + (l + 1), n);
      for (int b = 0; b < batch; b++) {
        float[] vPrev = new float[n];
        float[] sPrev = new float[n];
        float[] aPrev = new float[n];
        for (int t = 0; t < steps; t++) {
          float[] in = l == 0 ? x[t][b] : s[l - 1][t][b];
          float[] vt = new float[n];
          float[] st = new float[n];
          float[] thr = new float[n];
          float[] ct = new float[n];
          for (int i = 0; i < n; i++) {
            float beta = (float) betas[i];
            float leak = (float) (1.0 - betas[i]);
            float rho = (float) rhos[i];
            float rhoLeak = (float) (1.0 - rhos[i]);
            float c = p[bias.offset() + i];
            for (int j = 0; j < nIn; j++) {
              c += p[w.offset() + i * nIn + j] * in[j];
            }
            if (rv != null) {
              for (int j = 0; j < n; j++) {
                c += p[rv.offset() + i * n + j] * sPrev[j];
              }
            }
            if (lc.adaptive()) {
              aPrev[i] = rho * aPrev[i] + rhoLeak * sPrev[i];
              thr[i] = theta + kappa * aPrev[i];
            } else {
              thr[i] = theta;
            }
            vt[i] = beta * vPrev[i] + leak * c - thr[i] * sPrev[i];
            st[i] = vt[i] > thr[i] ? 1f : 0f;
            ct[i] = c;
          }
          cur[l][t][b] = ct;
          adapt[l][t][b] = aPrev.clone();
          v[l][t][b] = vt;
          th[l][t][b] = thr;
          s[l][t][b] = st;
          vPrev = vt;
          sPrev = st;
        }
      }
    }
    int top = cfg.width(depth);
    TensorView wo = layout.view("Wo");
    TensorView bo = layout.view("bo");
    double[] betaOs = leaks(cfg.trainReadoutTau(), cfg.betaOut(), p, layout, "qo", classes);
    // u[b][t][c], the readout in double, and z[b][t][c] = W_o s_t + b_o
    double[][][] u = new double[batch][steps][classes];
    double[][][] zs = new double[batch][steps][classes];
    for (int b = 0; b < batch; b++) {
      double[] ut = new double[classes];
      for (int t = 0; t < steps; t++) {
        for (int c = 0; c < classes; c++) {
          double z = p[bo.offset() + c];
          for (int j = 0; j < top; j++) {
            z += p[wo.offset() + c * top + j] * (double) s[depth - 1][t][b][j];
          }
          ut[c] = betaOs[c] * ut[c] + (1 - betaOs[c]) * z;
          u[b][t][c] = ut[c];
          zs[b][t][c] = z;
        }
      }
    }
    // dL/du[b][t][c], the loss seed of every step
    double[][][] seedU = new double[batch][steps][classes];
    if (cfg.loss().regression()) {
      logits = new double[0];
      int targets = 0;
      double total = 0;
      for (int b = 0; b < batch; b++) {
        for (int t = 0; t < steps; t++) {
          for (int c = 0; c < classes; c++) {
            targets += Float.isNaN(frames.stepTarget(b, t, c)) ? 0 : 1;
          }
        }
      }
      for (int b = 0; b < batch; b++) {
        for (int t = 0; t < steps; t++) {
          for (int c = 0; c < classes; c++) {
            float z = frames.stepTarget(b, t, c);
            if (!Float.isNaN(z)) {
              double d = u[b][t][c] - z;
              total += d * d / 2;
              seedU[b][t][c] = d / targets;
            }
          }
        }
      }
      loss = targets == 0 ? 0 : total / targets;
    } else if (cfg.loss().perStep()) {
      logits = new double[0];
      int targets = 0;
      for (int b = 0; b < batch; b++) {
        for (int t = 0; t < steps; t++) {
          targets += frames.stepLabel(b, t) >= 0 ? 1 : 0;
        }
      }
      double total = 0;
      for (int b = 0; b < batch; b++) {
        for (int t = 0; t < steps; t++) {
          int y = frames.stepLabel(b, t);
          if (y >= 0) {
            double[] g = softmaxMinusOneHot(u[b][t], y);
            total += g[classes];
            for (int c = 0; c < classes; c++) {
              seedU[b][t][c] = g[c] / targets;
            }
          }
        }
      }
      loss = targets == 0 ? 0 : total / targets;
    } else {
      logits = new double[batch * classes];
      int window = cfg.loss().window(steps);
      double total = 0;
      for (int b = 0; b < batch; b++) {
        double[] lb = new double[classes];
        for (int t = steps - window; t < steps; t++) {
          for (int c = 0; c < classes; c++) {
            lb[c] += u[b][t][c] / window;
          }
        }
        System.arraycopy(lb, 0, logits, b * classes, classes);
        double[] g = softmaxMinusOneHot(lb, frames.label(b));
        total += g[classes];
        for (int t = steps - window; t < steps; t++) {
          for (int c = 0; c < classes; c++) {
            seedU[b][t][c] = g[c] / batch / window;
          }
        }
      }
      loss = total / batch;
    }

    gradient = new double[layout.size()];
    for (int b = 0; b < batch; b++) {
      double[] guNext = new double[classes];
      double[][] gvNext = new double[depth][];
      double[][] dcNext = new double[depth][];
      double[][] gaNext = new double[depth][];
      for (int l = 0; l < depth; l++) {
        gvNext[l] = new double[cfg.width(l + 1)];
        dcNext[l] = new double[cfg.width(l + 1)];
        gaNext[l] = new double[cfg.width(l + 1)];
      }
      for (int t = steps - 1; t >= 0; t--) {
        double[] gs = new double[top];
        for (int c = 0; c < classes; c++) {
          double gu = seedU[b][t][c] + betaOs[c] * guNext[c];
          guNext[c] = gu;
          double e = (1 - betaOs[c]) * gu;
          if (cfg.trainReadoutTau()) {
            double uPrev = t > 0 ? u[b][t - 1][c] : 0;
            gradient[layout.view("qo").offset() + c] +=
                gu * (uPrev - zs[b][t][c]) * betaOs[c] * (1 - betaOs[c]);
          }
          gradient[bo.offset() + c] += e;
          for (int j = 0; j < top; j++) {
            gradient[wo.offset() + c * top + j] += e * s[depth - 1][t][b][j];
            gs[j] += p[wo.offset() + c * top + j] * e;
          }
        }
        for (int l = depth - 1; l >= 0; l--) {
          LayerConfig lc = cfg.layers().get(l);
          int n = lc.size();
          int nIn = cfg.width(l);
          double[] betas = leaks(lc.trainTau(), lc.beta(), p, layout, "q" + (l + 1), n);
          double[] rhos =
              leaks(lc.trainTau() && lc.adaptive(), lc.rho(), p, layout, "p" + (l + 1), n);
          TensorView w = layout.view("W" + (l + 1));
          TensorView bias = layout.view("b" + (l + 1));
          TensorView rv = lc.recurrent() ? layout.view("R" + (l + 1)) : null;
          double[] total2 = gs.clone();
          if (rv != null) {
            for (int j = 0; j < n; j++) {
              for (int i = 0; i < n; i++) {
                total2[j] += p[rv.offset() + i * n + j] * dcNext[l][i];
              }
            }
          }
          double[] dc = new double[n];
          for (int i = 0; i < n; i++) {
            if (lc.adaptive()) {
              total2[i] += (1 - rhos[i]) * gaNext[l][i];
            }
            double q = total2[i] * surrogate(cfg.surrogate(), v[l][t][b][i], th[l][t][b][i]);
            double sPrev = t > 0 ? s[l][t - 1][b][i] : 0;
            if (lc.adaptive()) {
              gaNext[l][i] = rhos[i] * gaNext[l][i] - lc.kappa() * q;
              if (lc.trainTau()) {
                double aPrev = t > 0 ? adapt[l][t - 1][b][i] : 0;
                gradient[layout.view("p" + (l + 1)).offset() + i] +=
                    gaNext[l][i] * (aPrev - sPrev) * rhos[i] * (1 - rhos[i]);
              }
            }
            double gv = q + betas[i] * gvNext[l][i];
            gvNext[l][i] = gv;
            dc[i] = (1 - betas[i]) * gv;
            if (lc.trainTau()) {
              double vPrev = t > 0 ? v[l][t - 1][b][i] : 0;
              gradient[layout.view("q" + (l + 1)).offset() + i] +=
                  gv * (vPrev - cur[l][t][b][i]) * betas[i] * (1 - betas[i]);
            }
          }
          float[] in = l == 0 ? x[t][b] : s[l - 1][t][b];
          double[] below = new double[nIn];
          for (int i = 0; i < n; i++) {
            gradient[bias.offset() + i] += dc[i];
            for (int j = 0; j < nIn; j++) {
              gradient[w.offset() + i * nIn + j] += dc[i] * in[j];
              below[j] += p[w.offset() + i * nIn + j] * dc[i];
            }
            if (rv != null && t > 0) {
              for (int j = 0; j < n; j++) {
                gradient[rv.offset() + i * n + j] += dc[i] * s[l][t - 1][b][j];
              }
            }
          }
          dcNext[l] = dc;
          gs = below;
        }
        if (truncation > 0 && t > 0 && (steps - t) % truncation == 0) {
          java.util.Arrays.fill(guNext, 0);
          for (int l = 0; l < depth; l++) {
            java.util.Arrays.fill(gvNext[l], 0);
            java.util.Arrays.fill(dcNext[l], 0);
            java.util.Arrays.fill(gaNext[l], 0);
          }
        }
      }
    }
  }

  /**
   * The n leaks of a layer or the readout: sigmoid of each entry of {@code tensor} when trainable,
   * else {@code fixed} n times.
   */
  private static double[] leaks(
      boolean trainable, double fixed, float[] p, ParameterLayout layout, String tensor, int n) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = trainable ? 1 / (1 + Math.exp(-p[layout.view(tensor).offset() + i])) : fixed;
    }
    return out;
  }

  static double surrogate(Surrogate kind, float v, float theta) {
    double d = Math.abs((double) v - theta);
    if (kind instanceof Surrogate.FastSigmoid f) {
      double a = 1 + f.gamma() * d;
      return 1 / (a * a);
    }
    double w = ((Surrogate.Triangle) kind).width();
    return Math.max(0, 1 - d / w) / w;
  }

  /** softmax(z) - onehot(y), with the cross-entropy -log softmax(z)_y as one more entry. */
  private static double[] softmaxMinusOneHot(double[] z, int y) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : z) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (double v : z) {
      sum += Math.exp(v - max);
    }
    double logZ = max + Math.log(sum);
    double[] g = new double[z.length + 1];
    for (int c = 0; c < z.length; c++) {
      g[c] = Math.exp(z[c] - logZ) - (c == y ? 1 : 0);
    }
    g[z.length] = logZ - z[y];
    return g;
  }
}
