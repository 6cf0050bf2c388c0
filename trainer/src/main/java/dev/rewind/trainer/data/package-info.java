/**
 * Batches of labelled sequences as the engine reads them ({@link
 * dev.rewind.trainer.data.FrameSource}): dense frames, event lists, and the synthetic {@link
 * dev.rewind.trainer.data.LongMemoryTask}.
 */
package dev.rewind.trainer.data;
