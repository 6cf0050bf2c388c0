package dev.rewind.trainer.bptt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.trainer.model.Parameters;
import dev.rewind.trainer.model.TensorView;
import org.junit.jupiter.api.Test;

/**
 * Central finite differences of the loss with respect to the readout (Wo, bo, and qo where its leak
 * is trainable, MODEL_SPEC v2), which the spikes do not depend on, so the loss is smooth there. The
 * loss is evaluated by {@link NaiveReference} in double; the step is the float-representable
 * difference actually applied.
 */
class ReadoutFiniteDifferenceTest {

  @Test
  void readoutGradientMatchesFiniteDifferences() {
    long base = Long.getLong("rewind.seed", 31337L);
    int trainableReadouts = 0;
    for (int k = 0; k < 24; k++) {
      RandomCase c = RandomCase.draw(base + k, 40);
      if (k >= 12) {
        c = c.withTrainableTimeConstants();
      }
      BpttResult engine =
          new StoreAllBptt(c.config(), c.frames().batchSize()).run(c.parameters(), c.frames());
      boolean qo = c.config().trainReadoutTau();
      trainableReadouts += qo ? 1 : 0;
      for (String name : qo ? new String[] {"Wo", "bo", "qo"} : new String[] {"Wo", "bo"}) {
        TensorView v = c.parameters().layout().view(name);
        for (int i = 0; i < v.size(); i++) {
          int at = v.offset() + i;
          Parameters plus = c.parameters().copy();
          Parameters minus = c.parameters().copy();
          plus.data()[at] += 1e-3f;
          minus.data()[at] -= 1e-3f;
          double h = (double) plus.data()[at] - minus.data()[at];
          double fd =
              (new NaiveReference(plus, c.frames()).loss
                      - new NaiveReference(minus, c.frames()).loss)
                  / h;
          double g = engine.gradient()[at];
          assertEquals(
              fd,
              g,
              1e-3 * Math.abs(fd) + 1e-6,
              name + "[" + i + "], replay with -Drewind.seed: " + c);
        }
      }
    }
    assertTrue(trainableReadouts >= 4, trainableReadouts + " cases with a trainable readout leak");
  }
}
