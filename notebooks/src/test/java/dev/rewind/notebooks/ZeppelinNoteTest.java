package dev.rewind.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** How a note's paragraphs are read, and that the shipped notes are notes Zeppelin imports. */
class ZeppelinNoteTest {
  private static final List<String> NOTE_FIELDS =
      List.of(
          "name",
          "id",
          "defaultInterpreterGroup",
          "version",
          "noteParams",
          "noteForms",
          "angularObjects",
          "config",
          "info",
          "paragraphs");
  private static final List<String> PARAGRAPH_FIELDS =
      List.of("id", "title", "text", "config", "settings", "status");

  private static ZeppelinNote.Paragraph paragraph(String text) {
    return new ZeppelinNote.Paragraph("p1", "", text);
  }

  @Test
  void theInterpreterIsTheLeadingPercentName() {
    assertEquals("spark", paragraph("%spark\nval x = 1").interpreter("md"));
    assertEquals("spark.sql", paragraph("  %spark.sql select 1").interpreter("spark"));
    assertEquals("spark", paragraph("%spark(pool=a)\nval x = 1").interpreter("md"));
    assertEquals("spark", paragraph("val x = 1").interpreter("spark"));
  }

  @Test
  void codeLinesCountFromTheEditorsFirstLine() {
    ZeppelinNote.Paragraph own = paragraph("%spark\nval x = 1\nval y = 2");
    assertEquals("val x = 1\nval y = 2", own.code());
    assertEquals(2, own.codeFirstLine());
    ZeppelinNote.Paragraph inline = paragraph("%spark val x = 1");
    assertEquals("val x = 1", inline.code());
    assertEquals(1, inline.codeFirstLine());
    ZeppelinNote.Paragraph bare = paragraph("val x = 1");
    assertEquals("val x = 1", bare.code());
    assertEquals(1, bare.codeFirstLine());
    assertEquals("p1", bare.label());
  }

  @Test
  void aNoteWithoutParagraphsIsNamed(@org.junit.jupiter.api.io.TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("empty.zpln");
    Files.writeString(
        file,
        "{\"name\":\"n\",\"id\":\"i\",\"defaultInterpreterGroup\":\"spark\",\"paragraphs\":[]}");
    String message =
        assertThrows(IllegalArgumentException.class, () -> ZeppelinNote.read(file)).getMessage();
    assertTrue(message.contains("empty.zpln") && message.contains("paragraphs"), message);
  }

  @Test
  void theShippedNotesHaveZeppelinsFields() throws IOException {
    List<Path> notes;
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("rewind.notes.dir", ".")))) {
      notes = files.filter(f -> f.toString().endsWith(".zpln")).sorted().toList();
    }
    assertEquals(
        List.of("per-step.zpln", "pipeline.zpln", "quickstart.zpln", "schedules.zpln"),
        notes.stream().map(f -> f.getFileName().toString()).toList(),
        "the notes notebooks/README.md lists and NotebooksTest runs");
    ObjectMapper json = new ObjectMapper();
    Set<String> ids = new HashSet<>();
    for (Path file : notes) {
      JsonNode note = json.readTree(file.toFile());
      for (String field : NOTE_FIELDS) {
        assertTrue(note.has(field), file + ": missing " + field);
      }
      assertTrue(ids.add(note.get("id").asText()), file + ": note id used twice");
      for (JsonNode p : note.get("paragraphs")) {
        for (String field : PARAGRAPH_FIELDS) {
          assertTrue(p.has(field), file + " paragraph " + p.get("id") + ": missing " + field);
        }
        assertTrue(ids.add(p.get("id").asText()), file + ": paragraph id used twice");
      }
      ZeppelinNote parsed = ZeppelinNote.read(file);
      for (ZeppelinNote.Paragraph p : parsed.paragraphs()) {
        String interpreter = p.interpreter(parsed.defaultInterpreterGroup());
        assertTrue(
            interpreter.equals("spark") || interpreter.equals("md"),
            file + " paragraph " + p.label() + ": interpreter " + interpreter);
      }
    }
  }
}
