package dev.rewind.trainer.internal.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.storage.BlobStore;
import dev.rewind.storage.BlobStores;
import dev.rewind.trainer.checkpoint.Cases;
import dev.rewind.trainer.model.LossSpec;
import dev.rewind.trainer.model.Parameters;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CostCalibratorTest {
  @TempDir Path dir;

  /**
   * A {@code last:K} head whose K exceeds the calibration's steps calibrates, and shares the mean
   * head's cache entry: a step costs the same under either.
   */
  @Test
  void aLastStepsHeadLongerThanTheCalibrationCalibratesAsTheMeanHead() throws IOException {
    Cases c = Cases.draw(3L, 80, 80);
    Parameters last =
        Parameters.wrap(c.config().withLoss(new LossSpec(60)), c.parameters().data().clone());
    CostCalibrator calibrator = new CostCalibrator(dir, 16, 1);
    try (BlobStore heap = BlobStores.heap(1 << 24)) {
      Calibration measured = calibrator.calibrate(last, c.frames(), heap, "heap");
      assertEquals(16, measured.steps());
      assertTrue(measured.forwardSeconds() > 0, "a measured forward step");
      // Read back from the cache, not measured again: the same timings.
      assertEquals(measured, calibrator.calibrate(c.parameters(), c.frames(), heap, "heap"));
    }
  }
}
