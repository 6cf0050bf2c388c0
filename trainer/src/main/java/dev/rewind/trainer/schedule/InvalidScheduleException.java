package dev.rewind.trainer.schedule;

/**
 * A stream of actions broke the rules of {@link Action}: a load of an unsaved state, a reverse of
 * an untaped step, an advance from a state that is not current, a leftover saved state. Raised by
 * {@link ScheduleSimulator}; the message names the action's index and the broken rule.
 */
public final class InvalidScheduleException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public InvalidScheduleException(String message) {
    super(message);
  }
}
