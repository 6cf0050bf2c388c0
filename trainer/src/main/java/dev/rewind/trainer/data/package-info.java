/**
 * Batches of labelled sequences as the engine reads them ({@link
 * dev.rewind.trainer.data.FrameSource}): dense frames, event lists, the synthetic {@link
 * dev.rewind.trainer.data.LongMemoryTask}, and {@link dev.rewind.trainer.data.SpooledFrames}, which
 * streams any source through a slow store in spike-coded chunks so that nothing proportional to T
 * stays on the heap.
 */
package dev.rewind.trainer.data;
