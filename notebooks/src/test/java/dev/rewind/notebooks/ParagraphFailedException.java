package dev.rewind.notebooks;

/**
 * A paragraph of a note did not compile or threw. The message names the note file, the paragraph
 * (1-based position in the note, as Zeppelin lists them, and its title), the line in the
 * paragraph's editor (the {@code %spark} line is line 1; 0 when unknown) and the error.
 */
public final class ParagraphFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String note;
  private final int paragraph;
  private final int line;

  ParagraphFailedException(
      String note,
      int paragraph,
      String title,
      int line,
      String error,
      String output,
      Throwable t) {
    super(
        "note "
            + note
            + ", paragraph "
            + paragraph
            + " \""
            + title
            + "\", "
            + (line > 0 ? "line " + line : "line unknown")
            + ": "
            + error
            + (output.isBlank() ? "" : "\n--- paragraph output ---\n" + output.strip()),
        t);
    this.note = note;
    this.paragraph = paragraph;
    this.line = line;
  }

  /** The note's file name. */
  public String note() {
    return note;
  }

  /** The paragraph's position in the note, from 1. */
  public int paragraph() {
    return paragraph;
  }

  /** The failing line in the paragraph's editor, from 1. */
  public int line() {
    return line;
  }
}
