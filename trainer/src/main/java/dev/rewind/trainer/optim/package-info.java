/**
 * First-order optimizers over one flat {@code float[]} parameter vector: {@link
 * dev.rewind.trainer.optim.Sgd}, {@link dev.rewind.trainer.optim.Adam}, global-norm {@link
 * dev.rewind.trainer.optim.GradientClipping} and {@link
 * dev.rewind.trainer.optim.LearningRateSchedule}s.
 *
 * <p>The formulas follow {@code torch.optim.SGD}, {@code torch.optim.Adam} and {@code
 * torch.nn.utils.clip_grad_norm_}, so a run can be checked against PyTorch. Optimizer state (moment
 * buffers and the step counter) is exported and imported exactly, bit for bit, so a resumed run
 * continues as if it had never stopped.
 */
package dev.rewind.trainer.optim;
