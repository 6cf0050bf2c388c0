/**
 * The LIF network's configuration ({@link dev.rewind.trainer.model.ModelConfig}, JSON), its flat
 * parameter array with named tensor views ({@link dev.rewind.trainer.model.Parameters}, {@link
 * dev.rewind.trainer.model.ParameterLayout}) and surrogate gradients.
 */
package dev.rewind.trainer.model;
