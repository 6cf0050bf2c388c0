package dev.rewind.notebooks;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A Zeppelin note ({@code .zpln}, Zeppelin 0.9 and later) as Zeppelin reads it: the fields this
 * project relies on, checked; the rest of Zeppelin's fields are kept in the file and ignored here.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ZeppelinNote(
    String name, String id, String defaultInterpreterGroup, List<Paragraph> paragraphs) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Reads and checks {@code file}; a bad note fails naming the file and the field. */
  public static ZeppelinNote read(Path file) throws IOException {
    ZeppelinNote note = JSON.readValue(file.toFile(), ZeppelinNote.class);
    require(file, "name", note.name());
    require(file, "id", note.id());
    require(file, "defaultInterpreterGroup", note.defaultInterpreterGroup());
    if (note.paragraphs() == null || note.paragraphs().isEmpty()) {
      throw new IllegalArgumentException(file + ": expected paragraphs, got none");
    }
    for (int i = 0; i < note.paragraphs().size(); i++) {
      Paragraph p = note.paragraphs().get(i);
      require(file, "paragraphs[" + i + "].id", p.id());
      require(file, "paragraphs[" + i + "].text", p.text());
    }
    return note;
  }

  private static void require(Path file, String field, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(file + ": expected a value for " + field + ", got none");
    }
  }

  /**
   * One paragraph. Its interpreter is the {@code %name} that starts its text; without one, the
   * note's default interpreter group (whose default interpreter has the group's name).
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Paragraph(String id, String title, String text) {

    /**
     * The interpreter name without {@code %}, e.g. {@code spark}, {@code spark.sql}, {@code md}.
     */
    public String interpreter(String defaultGroup) {
      String trimmed = text.stripLeading();
      if (!trimmed.startsWith("%")) {
        return defaultGroup;
      }
      int end = 1;
      while (end < trimmed.length()
          && !Character.isWhitespace(trimmed.charAt(end))
          && trimmed.charAt(end) != '(') {
        end++;
      }
      return trimmed.substring(1, end);
    }

    /**
     * The code after the {@code %name} token; when that token stands on its own line, the code
     * starts on the editor's line 2, which {@link #codeFirstLine()} says.
     */
    public String code() {
      return text.substring(codeStart());
    }

    /** The editor line (1-based) on which {@link #code()} starts. */
    public int codeFirstLine() {
      String before = text.substring(0, codeStart());
      return 1 + (int) before.chars().filter(c -> c == '\n').count();
    }

    /** After the {@code %name} token, its {@code (properties)}, and blanks up to one newline. */
    private int codeStart() {
      int start = 0;
      while (start < text.length() && Character.isWhitespace(text.charAt(start))) {
        start++;
      }
      if (start == text.length() || text.charAt(start) != '%') {
        return 0;
      }
      int end = start + 1;
      while (end < text.length()
          && !Character.isWhitespace(text.charAt(end))
          && text.charAt(end) != '(') {
        end++;
      }
      if (end < text.length() && text.charAt(end) == '(') {
        int close = text.indexOf(')', end);
        end = close < 0 ? text.length() : close + 1;
      }
      while (end < text.length() && (text.charAt(end) == ' ' || text.charAt(end) == '\t')) {
        end++;
      }
      if (end < text.length() && text.charAt(end) == '\n') {
        end++;
      }
      return end;
    }

    /** The title, or the paragraph's id when it has none. */
    public String label() {
      return title == null || title.isBlank() ? id : title;
    }
  }
}
