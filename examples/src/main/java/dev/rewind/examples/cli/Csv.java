package dev.rewind.examples.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes small RFC 4180 CSV tables: comma-separated, a field holding a comma, quote or line break
 * quoted with its quotes doubled, numbers in the ROOT locale, lines ending in CRLF.
 */
final class Csv {
  private Csv() {}

  /** Writes {@code rows} (the first is the header) to {@code file}. */
  static void write(Path file, List<? extends List<?>> rows) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (List<?> row : rows) {
        for (int i = 0; i < row.size(); i++) {
          if (i > 0) {
            w.write(',');
          }
          w.write(field(format(row.get(i))));
        }
        w.write("\r\n");
      }
    }
  }

  /** A value as text: doubles with up to 9 significant digits, the rest by toString. */
  static String format(Object value) {
    if (value instanceof Double d) {
      return String.format(Locale.ROOT, "%.9g", d);
    }
    return String.valueOf(value);
  }

  private static String field(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
