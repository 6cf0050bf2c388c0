package dev.rewind.notebooks;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Console$;

/**
 * The part of Zeppelin's {@code z} (ZeppelinContext) the notes use. {@code z.show(dataset)} prints
 * the rows as Zeppelin's {@code %table} display text (a header line, then one line per row, values
 * separated by tabs), at most {@code maxResult} rows like {@code zeppelin.spark.maxResult}, to the
 * interpreter's console, so the text lands in the paragraph's output. {@code z.textbox(name,
 * default)} is a dynamic form: Zeppelin shows a text box holding the default; here it returns the
 * value this context was given for the name, else the default (tests run the notes smaller so).
 */
public final class MinimalZeppelinContext {
  private final int maxResult;
  private final Map<String, String> formValues;

  public MinimalZeppelinContext(int maxResult, Map<String, String> formValues) {
    if (maxResult <= 0) {
      throw new IllegalArgumentException("maxResult: expected > 0, got " + maxResult);
    }
    this.maxResult = maxResult;
    this.formValues = Map.copyOf(formValues);
  }

  /** The value of text box {@code name}: the one given for it, else {@code defaultValue}. */
  public Object textbox(String name, String defaultValue) {
    return formValues.getOrDefault(name, defaultValue);
  }

  /** A text box whose default is empty. */
  public Object textbox(String name) {
    return textbox(name, "");
  }

  /** Shows a Dataset or DataFrame as a table; anything else is refused, as Zeppelin does. */
  public void show(Object data) {
    show(data, maxResult);
  }

  /** Shows at most {@code limit} rows. */
  public void show(Object data, int limit) {
    if (!(data instanceof Dataset<?> dataset)) {
      throw new IllegalArgumentException(
          "z.show: expected a Dataset, got " + (data == null ? "null" : data.getClass().getName()));
    }
    Dataset<Row> df = dataset.toDF();
    List<Row> rows = df.takeAsList(limit + 1);
    PrintStream out = Console$.MODULE$.out();
    StringBuilder table = new StringBuilder("%table ");
    table.append(String.join("\t", df.columns())).append('\n');
    for (Row row : rows.subList(0, Math.min(limit, rows.size()))) {
      table.append(cells(row)).append('\n');
    }
    out.print(table);
    if (rows.size() > limit) {
      out.println("\n%html <font color=red>Results are limited by " + limit + ".</font>");
    }
    out.flush();
  }

  private static String cells(Row row) {
    return IntStream.range(0, row.length())
        .mapToObj(i -> row.isNullAt(i) ? "null" : String.valueOf(row.get(i)))
        .map(v -> v.replace('\t', ' ').replace('\n', ' '))
        .collect(Collectors.joining("\t"));
  }
}
