/**
 * The training loop on one JVM: {@link dev.rewind.trainer.training.TrainingLoop} over a {@link
 * dev.rewind.trainer.training.GradientFunction} (store-all or through a checkpoint schedule), the
 * one training configuration both engines use, and the listener vocabulary ({@code onStep} with
 * {@link dev.rewind.trainer.training.StepMetrics}, {@code onEpoch} with {@link
 * dev.rewind.trainer.training.EpochResult}) shared by the JVM loop, the Estimator and PETRA. Uses
 * {@code bptt}, {@code checkpoint}, {@code optim}, {@code model} and {@code data}; no Spark.
 */
package dev.rewind.trainer.training;
