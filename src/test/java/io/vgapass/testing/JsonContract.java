package io.vgapass.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The contract of docs/json.md held by golden files: a field renamed, moved or dropped fails a test. The JSON comes
 * from Jackson reflecting over records, so renaming a record component renames a field without a word; these
 * goldens are where it shows.
 *
 * <p>Two kinds of golden, under {@code src/test/resources/golden/json/}: {@code NAME.json}, the whole output, for
 * what is the same on every run (the reference machine, fixture hosts), and {@code NAME.shape}, one line per field
 * path ({@code checks[].name}), for output from a live VM whose values change from run to run.
 * {@code -Dvgapass.golden.update=true} rewrites them instead of comparing.
 */
public final class JsonContract {
  private static final String DIR = "golden/json/";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonContract() {}

  /** The whole JSON equals the golden {@code NAME.json}, compared as JSON trees (layout aside). */
  public static void assertGolden(String name, String json) {
    String expected = golden(name + ".json", json);
    assertThat(tree(json)).as("%s: the JSON differs from golden/json/%s.json:%n%s", name, name, json)
        .isEqualTo(tree(expected));
  }

  /** The field paths of the JSON equal the golden {@code NAME.shape}. */
  public static void assertShape(String name, String json) {
    String actual = String.join("\n", shape(tree(json))) + "\n";
    String expected = golden(name + ".shape", actual);
    assertThat(actual).as("%s: field paths differ from golden/json/%s.shape", name, name).isEqualTo(expected);
  }

  /**
   * Every field path of a JSON value, sorted: objects give {@code a.b}, arrays {@code a[]} and the union of their
   * elements' paths. Values are left out, so the shape is the same whatever a live run measured.
   */
  public static SortedSet<String> shape(JsonNode node) {
    SortedSet<String> paths = new TreeSet<>();
    walk(node, "", paths);
    return paths;
  }

  private static void walk(JsonNode node, String path, SortedSet<String> paths) {
    if (node.isObject()) {
      if (!path.isEmpty()) paths.add(path + " {}");
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
        if (!field.getValue().isContainerNode()) paths.add(child);
        walk(field.getValue(), child, paths);
      }
    } else if (node.isArray()) {
      paths.add(path + "[]");
      for (JsonNode element : node) walk(element, path + "[]", paths);
    }
  }

  private static JsonNode tree(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + e.getMessage() + "\n" + json, e);
    }
  }

  private static String golden(String file, String actual) {
    if (Boolean.getBoolean("vgapass.golden.update")) {
      try {
        Path target = Path.of("src/test/resources", DIR, file);
        Files.createDirectories(target.getParent());
        Files.writeString(target, actual);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return actual;
    }
    try (InputStream in = JsonContract.class.getResourceAsStream("/" + DIR + file)) {
      if (in == null) {
        throw new AssertionError("no golden " + DIR + file + " (run once with -Dvgapass.golden.update=true and review it)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
