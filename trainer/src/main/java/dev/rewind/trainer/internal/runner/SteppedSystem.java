package dev.rewind.trainer.internal.runner;

import dev.rewind.storage.FloatBlock;
import dev.rewind.storage.SpikeFrame;

/**
 * What a {@link ScheduleRunner} runs a checkpoint schedule on: a computation of {@link #steps()}
 * time steps with one current state, a tape of recorded steps, an adjoint that moves from state T
 * down to state 0, and gradient sums. The runner interprets a schedule's actions with these calls
 * and keeps the saved states (copies in {@link #newState()} buffers, or blobs in the slow store);
 * the system knows nothing of schedules. Implemented for the LIF network ({@code
 * CheckpointExecutor}) and for the spiking sequence maps inside PETRA's stages.
 *
 * <p>Step {@code t} maps state {@code t} to state {@code t + 1} (see {@link
 * dev.rewind.trainer.schedule.Action}). A state must determine every later step bit for bit, so
 * that recomputing from a saved state gives the bits of the first sweep.
 *
 * @param <S> a buffer that holds one saved state in memory
 */
public interface SteppedSystem<S> {

  /** T, the number of steps. */
  int steps();

  /** The step of the current state. */
  int step();

  /**
   * Starts a run: state 0 current, tape empty, adjoint zero at state T, gradient sums cleared.
   *
   * @param tapeChunkSteps how many steps of tape to allocate at a time (a sizing hint)
   */
  void begin(int tapeChunkSteps);

  /** Runs steps {@code from .. to - 1} from the current state (state {@code from}) without tape. */
  void advance(int from, int to);

  /** Runs steps {@code from .. to - 1} from the current state, recording their tape entries. */
  void record(int from, int to);

  /**
   * Runs the backward steps {@code to - 1} down to {@code from}, consuming their tape entries and
   * accumulating gradients; the adjoint moves from state {@code to} to state {@code from}.
   */
  void reverse(int from, int to);

  /**
   * The forward sweep is over, state T is current: finish the forward's outputs, seed the adjoint.
   */
  void endForward();

  /** The state the adjoint is at (T until the first reverse). */
  int adjointStep();

  /** Steps on the tape now. */
  long tapeSteps();

  /** Most steps on the tape at once since {@link #begin}. */
  long peakTapeSteps();

  /** Most bytes of tape at once since {@link #begin}. */
  long peakTapeBytes();

  /** Forgets the whole tape (after a failed run). */
  void clearTape();

  /** Heap bytes of one saved state (a buffer of {@link #newState()}). */
  long stateBytes();

  /** A buffer for one saved state. */
  S newState();

  /** Copies the current state into {@code slot}. */
  void saveState(S slot);

  /** Makes a copy of {@code slot}, which holds state {@code step}, the current state. */
  void loadState(S slot, int step);

  /** The dense part of the current state, in fresh arrays (safe to hand to another thread). */
  FloatBlock denseState();

  /** The spikes of the current state, in fresh arrays. */
  SpikeFrame spikeState();

  /**
   * Makes the state encoded by the blobs, state {@code step}, the current state; exact. Throws
   * IllegalArgumentException naming {@code what} when the blobs do not have this system's shape.
   */
  void restoreState(String what, FloatBlock dense, SpikeFrame spikes, int step);
}
