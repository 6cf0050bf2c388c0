package dev.rewind.trainer.io;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The header dictionary of a {@code .npy} file, for example {@code {'descr': '<f4',
 * 'fortran_order': False, 'shape': (2, 3), }}: a Python literal with exactly these three keys.
 * Parsing accepts what NumPy writes (either quote style, any spacing, trailing commas); formatting
 * writes byte for byte what NumPy writes.
 */
record NpyHeader(String descr, boolean fortranOrder, int[] shape) {

  private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");

  /** Returns the dictionary text as NumPy writes it, without padding. */
  String format() {
    StringBuilder sb =
        new StringBuilder("{'descr': '").append(descr).append("', 'fortran_order': ");
    sb.append(fortranOrder ? "True" : "False").append(", 'shape': (");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return sb.append(shape.length == 1 ? ",), }" : "), }").toString();
  }

  /** Returns {@link #format()} padded with spaces and a newline to a multiple of 64 bytes. */
  byte[] paddedBytes(int prefixLength) {
    String text = format();
    int unpadded = prefixLength + text.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    return (text + " ".repeat(padding) + "\n").getBytes(StandardCharsets.US_ASCII);
  }

  static NpyHeader parse(String text, String source) throws NpyFormatException {
    return new Parser(text, source).header();
  }

  /** A recursive-descent parser for the small Python-literal subset NumPy headers use. */
  private static final class Parser {
    private final String text;
    private final String source;
    private int pos;

    Parser(String text, String source) {
      this.text = text;
      this.source = source;
    }

    NpyHeader header() throws NpyFormatException {
      Map<String, Object> dict = new HashMap<>();
      expect('{');
      while (peek() != '}') {
        String key = string();
        expect(':');
        Object value = value(key);
        if (dict.put(key, value) != null) {
          throw error("duplicate key '" + key + "'");
        }
        if (peek() == ',') {
          pos++;
        } else if (peek() != '}') {
          throw error("expected ',' or '}' at offset " + pos + ", got " + describe(peek()));
        }
      }
      pos++;
      skipSpace();
      if (pos != text.length()) {
        throw error(
            "expected only padding after the dictionary, got '" + text.substring(pos) + "'");
      }
      if (!dict.keySet().equals(KEYS)) {
        throw error("expected keys " + sorted(KEYS) + ", got " + sorted(dict.keySet()));
      }
      if (!(dict.get("descr") instanceof String descr)) {
        throw error("unsupported dtype " + dict.get("descr") + ": expected a simple dtype string");
      }
      if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
        throw error("fortran_order: expected True or False, got " + dict.get("fortran_order"));
      }
      if (!(dict.get("shape") instanceof int[] shape)) {
        throw error("shape: expected a tuple of integers, got " + dict.get("shape"));
      }
      return new NpyHeader(descr, fortran, shape);
    }

    private Object value(String key) throws NpyFormatException {
      char c = peek();
      if (c == '\'' || c == '"') {
        return string();
      }
      if (c == '(') {
        return tuple();
      }
      if (text.startsWith("True", pos)) {
        pos += 4;
        return Boolean.TRUE;
      }
      if (text.startsWith("False", pos)) {
        pos += 5;
        return Boolean.FALSE;
      }
      if (c == '[' && key.equals("descr")) {
        throw error("unsupported dtype: expected a simple dtype string, got a structured dtype");
      }
      throw error("'" + key + "': expected a string, tuple or boolean, got " + describe(c));
    }

    private int[] tuple() throws NpyFormatException {
      expect('(');
      List<Integer> dims = new ArrayList<>();
      while (peek() != ')') {
        int start = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
          pos++;
        }
        if (start == pos) {
          throw error(
              "shape: expected a non-negative integer at offset "
                  + pos
                  + ", got "
                  + describe(peek()));
        }
        try {
          dims.add(Integer.parseInt(text.substring(start, pos)));
        } catch (NumberFormatException e) {
          throw error(
              "shape: expected dimensions <= "
                  + Integer.MAX_VALUE
                  + ", got "
                  + text.substring(start, pos));
        }
        if (peek() == ',') {
          pos++;
        } else if (peek() != ')') {
          throw error("shape: expected ',' or ')' at offset " + pos + ", got " + describe(peek()));
        }
      }
      pos++;
      return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    private String string() throws NpyFormatException {
      char quote = peek();
      if (quote != '\'' && quote != '"') {
        throw error("expected a quoted key at offset " + pos + ", got " + describe(quote));
      }
      int end = text.indexOf(quote, pos + 1);
      if (end < 0) {
        throw error("unterminated string at offset " + pos);
      }
      String s = text.substring(pos + 1, end);
      pos = end + 1;
      return s;
    }

    private void expect(char c) throws NpyFormatException {
      if (peek() != c) {
        throw error("expected '" + c + "' at offset " + pos + ", got " + describe(peek()));
      }
      pos++;
    }

    /** Skips whitespace and returns the next character, or 0 at the end. */
    private char peek() {
      skipSpace();
      return pos < text.length() ? text.charAt(pos) : 0;
    }

    private void skipSpace() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }

    private static String describe(char c) {
      return c == 0 ? "end of header" : "'" + c + "'";
    }

    private static List<String> sorted(Set<String> keys) {
      return keys.stream().sorted().toList();
    }

    private NpyFormatException error(String problem) {
      return new NpyFormatException(source, "malformed header: " + problem);
    }
  }
}
