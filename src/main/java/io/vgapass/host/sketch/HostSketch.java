package io.vgapass.host.sketch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compact, line-based description of a host that {@link SketchWriter} turns into a
 * sysfs-shaped tree. It is how the embedded reference machine, the test fixtures and the
 * benchmark hosts are written: a few dozen readable lines instead of hundreds of files.
 *
 * <p>Each line is a directive and {@code key=value} words; {@code #} starts a comment.
 * {@code file PATH} takes the following lines up to {@code end} as the file's content.
 * The directives are documented in {@code docs/host-sketch.md}.
 */
public record HostSketch(String name, List<Directive> directives) {
  /** Verbs whose words are paths or raw text: a word with '=' stays a word (os-release, mount options). */
  private static final Set<String> KEEPS_EQUALS = Set.of("os", "file", "touch", "dir", "mount");

  /** One line: its verb, its positional words, its key=value options, and a body for "file". */
  public record Directive(int line, String verb, List<String> words, Map<String, String> options, String body) {
    public String option(String key, String fallback) {
      return options.getOrDefault(key, fallback);
    }

    public String word(int i) {
      if (i >= words.size()) {
        throw new IllegalArgumentException("line " + line + ": '" + verb + "' needs more words");
      }
      return words.get(i);
    }
  }

  public static HostSketch parse(String name, String text) {
    List<Directive> out = new ArrayList<>();
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String raw = lines.get(i).strip();
      if (raw.isEmpty() || raw.startsWith("#")) continue;
      List<String> tokens = tokenize(raw, name, i + 1);
      String verb = tokens.get(0);
      List<String> words = new ArrayList<>();
      Map<String, String> options = new LinkedHashMap<>();
      boolean freeText = verb.equals("cmdline") || verb.equals("cpu-model") || verb.equals("source");
      for (String t : tokens.subList(1, tokens.size())) {
        int eq = t.indexOf('=');
        if (!freeText && eq > 0 && !KEEPS_EQUALS.contains(verb)) {
          options.put(t.substring(0, eq), t.substring(eq + 1));
        } else {
          words.add(t);
        }
      }
      String body = null;
      if (verb.equals("file")) {
        StringBuilder b = new StringBuilder();
        int j = i + 1;
        while (j < lines.size() && !lines.get(j).strip().equals("end")) b.append(lines.get(j++)).append('\n');
        if (j >= lines.size()) {
          throw new IllegalArgumentException(name + ": line " + (i + 1) + ": 'file' without a closing 'end'");
        }
        body = b.toString();
        i = j;
      }
      if (freeText) {
        words = List.of(raw.substring(verb.length()).strip());
      }
      out.add(new Directive(i + 1, verb, List.copyOf(words), Map.copyOf(options), body));
    }
    return new HostSketch(name, List.copyOf(out));
  }

  public static HostSketch load(Path file) throws IOException {
    return parse(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
  }

  public static HostSketch resource(String resource) {
    try (InputStream in = HostSketch.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("missing built-in host " + resource);
      return parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read built-in host " + resource, e);
    }
  }

  /** Splits on blanks, keeping "double quoted" words together (quotes kept for os-release values). */
  private static List<String> tokenize(String line, String name, int n) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (char c : line.toCharArray()) {
      if (c == '"') quoted = !quoted;
      if (Character.isWhitespace(c) && !quoted) {
        if (cur.length() > 0) out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    if (quoted) throw new IllegalArgumentException(name + ": line " + n + ": unclosed quote");
    if (cur.length() > 0) out.add(cur.toString());
    return out;
  }
}
