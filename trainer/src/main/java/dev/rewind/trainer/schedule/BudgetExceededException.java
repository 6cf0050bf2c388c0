package dev.rewind.trainer.schedule;

/**
 * No schedule of the kind asked for fits the memory budget. A caller that can shrink the work (a
 * smaller batch) may catch it and try again; the message says what was needed.
 */
public final class BudgetExceededException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public BudgetExceededException(String message) {
    super(message);
  }
}
