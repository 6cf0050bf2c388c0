package dev.rewind.trainer.petra;

/**
 * An independent double-precision implementation of {@link SpikingSequenceMap}'s math, written from
 * MODEL_SPEC.md with plain index arithmetic and the surrogate formulas re-derived here: the
 * reference its float implementation is checked against.
 */
final class NaiveSequenceMap {
  final int in;
  final int hidden;
  final int out;
  final boolean recurrent;
  final double beta;
  final double theta;
  final double gamma;
  double[][] w;
  double[][] r;
  double[] bias;
  double[][] a;
  double[] readBias;
  // forward results
  double[][][] v;
  double[][][] s;
  double[][][] y;
  // gradients
  double[][] dw;
  double[][] dr;
  double[] dbias;
  double[][] da;
  double[] dreadBias;
  double[][][] dx;

  /** Reads the parameters from {@code p} in {@link SpikingSequenceMap}'s documented layout. */
  NaiveSequenceMap(SequenceMapConfig c, float[] p, int off, double gamma) {
    in = c.inputWidth();
    hidden = c.hidden();
    out = c.outputWidth();
    recurrent = c.recurrent();
    beta = (float) c.beta();
    theta = c.theta();
    this.gamma = gamma;
    int k = off;
    w = new double[hidden][in];
    for (int i = 0; i < hidden; i++) {
      for (int j = 0; j < in; j++) {
        w[i][j] = p[k++];
      }
    }
    r = new double[hidden][hidden];
    if (recurrent) {
      for (int pre = 0; pre < hidden; pre++) {
        for (int post = 0; post < hidden; post++) {
          r[post][pre] = p[k++];
        }
      }
    }
    bias = new double[hidden];
    for (int i = 0; i < hidden; i++) {
      bias[i] = p[k++];
    }
    a = new double[out][hidden];
    for (int j = 0; j < hidden; j++) {
      for (int o = 0; o < out; o++) {
        a[o][j] = p[k++];
      }
    }
    readBias = new double[out];
    for (int o = 0; o < out; o++) {
      readBias[o] = p[k++];
    }
  }

  /** x[t][b][i]. */
  void forward(double[][][] x) {
    int steps = x.length;
    int batch = x[0].length;
    v = new double[steps][batch][hidden];
    s = new double[steps][batch][hidden];
    y = new double[steps][batch][out];
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < batch; b++) {
        for (int i = 0; i < hidden; i++) {
          double c = bias[i];
          for (int j = 0; j < in; j++) {
            c += w[i][j] * x[t][b][j];
          }
          double sPrev = t == 0 ? 0 : s[t - 1][b][i];
          if (recurrent && t > 0) {
            for (int j = 0; j < hidden; j++) {
              c += r[i][j] * s[t - 1][b][j];
            }
          }
          double vPrev = t == 0 ? 0 : v[t - 1][b][i];
          v[t][b][i] = beta * vPrev + (1 - beta) * c - theta * sPrev;
          s[t][b][i] = v[t][b][i] - theta > 0 ? 1 : 0;
        }
        for (int o = 0; o < out; o++) {
          double sum = readBias[o];
          for (int j = 0; j < hidden; j++) {
            sum += a[o][j] * s[t][b][j];
          }
          y[t][b][o] = sum;
        }
      }
    }
  }

  /**
   * The smallest distance of a membrane potential from the threshold in the last {@link #forward}:
   * below float rounding, the float implementation may spike where this one does not.
   */
  double thresholdMargin() {
    double margin = Double.POSITIVE_INFINITY;
    for (double[][] step : v) {
      for (double[] row : step) {
        for (double potential : row) {
          margin = Math.min(margin, Math.abs(potential - theta));
        }
      }
    }
    return margin;
  }

  /** Backward for dy[t][b][o] after {@link #forward} on x. */
  void backward(double[][][] x, double[][][] dy) {
    int steps = x.length;
    int batch = x[0].length;
    dw = new double[hidden][in];
    dr = new double[hidden][hidden];
    dbias = new double[hidden];
    da = new double[out][hidden];
    dreadBias = new double[out];
    dx = new double[steps][batch][in];
    double[][][] dv = new double[steps + 1][batch][hidden];
    double[][][] dc = new double[steps + 1][batch][hidden];
    for (int t = steps - 1; t >= 0; t--) {
      for (int b = 0; b < batch; b++) {
        for (int o = 0; o < out; o++) {
          dreadBias[o] += dy[t][b][o];
          for (int j = 0; j < hidden; j++) {
            da[o][j] += dy[t][b][o] * s[t][b][j];
          }
        }
        for (int j = 0; j < hidden; j++) {
          double ds = 0;
          for (int o = 0; o < out; o++) {
            ds += a[o][j] * dy[t][b][o];
          }
          if (recurrent) {
            for (int i = 0; i < hidden; i++) {
              ds += r[i][j] * dc[t + 1][b][i];
            }
          }
          double dist = Math.abs(v[t][b][j] - theta);
          double sg = 1 / ((1 + gamma * dist) * (1 + gamma * dist));
          dv[t][b][j] = ds * sg + beta * dv[t + 1][b][j];
          dc[t][b][j] = (1 - beta) * dv[t][b][j];
        }
        for (int i = 0; i < hidden; i++) {
          dbias[i] += dc[t][b][i];
          for (int j = 0; j < in; j++) {
            dw[i][j] += dc[t][b][i] * x[t][b][j];
            dx[t][b][j] += w[i][j] * dc[t][b][i];
          }
          if (recurrent && t > 0) {
            for (int j = 0; j < hidden; j++) {
              dr[i][j] += dc[t][b][i] * s[t - 1][b][j];
            }
          }
        }
      }
    }
  }

  /** The gradients flattened in {@link SpikingSequenceMap}'s layout. */
  double[] flatGradients() {
    int n = hidden * in + (recurrent ? hidden * hidden : 0) + hidden + hidden * out + out;
    double[] g = new double[n];
    int k = 0;
    for (int i = 0; i < hidden; i++) {
      for (int j = 0; j < in; j++) {
        g[k++] = dw[i][j];
      }
    }
    if (recurrent) {
      for (int pre = 0; pre < hidden; pre++) {
        for (int post = 0; post < hidden; post++) {
          g[k++] = dr[post][pre];
        }
      }
    }
    for (int i = 0; i < hidden; i++) {
      g[k++] = dbias[i];
    }
    for (int j = 0; j < hidden; j++) {
      for (int o = 0; o < out; o++) {
        g[k++] = da[o][j];
      }
    }
    for (int o = 0; o < out; o++) {
      g[k++] = dreadBias[o];
    }
    return g;
  }
}
