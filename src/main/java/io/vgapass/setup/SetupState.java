package io.vgapass.setup;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What setup remembers between runs (across the reboot): the card and the answers, so the second run need not ask
 * again. Never the proof that a step is done: that is read from the host each time.
 *
 * @param values answers by key ({@link #KEYS}), each one line of at most {@link #MAX_VALUE} characters
 */
public record SetupState(Map<String, String> values) {
  static final String FILE = "var/lib/vgapass/setup.state";
  /** Where a rehearsal writes the planned domain XML (under the rehearsal's root). */
  static final String XML_DIR = "var/lib/vgapass/setup";
  static final int MAX_BYTES = 16 * 1024;
  static final int MAX_VALUE = 512;
  static final String HEADER = "# vgapass setup: the answers given so far (vgapass setup resumes from them)";
  /** gpu, single (yes/no), the VM's answers, and the journal id of the apply setup made. */
  static final List<String> KEYS = List.of("gpu", "single", "name", "memory", "vcpus", "disk", "iso", "drivers",
      "audio", "input", "journal");

  public SetupState {
    values = Map.copyOf(values);
  }

  static SetupState empty() {
    return new SetupState(Map.of());
  }

  String get(String key) {
    return values.get(key);
  }

  SetupState with(String key, String value) {
    if (!KEYS.contains(key)) throw new IllegalArgumentException("setup state: unknown key " + key);
    Map<String, String> m = new LinkedHashMap<>(values);
    if (value == null || value.isEmpty()) m.remove(key);
    else m.put(key, check(key, value));
    return new SetupState(m);
  }

  /** Parses the file; throws IllegalArgumentException naming the first line that is not what setup writes. */
  static SetupState parse(String text) {
    Map<String, String> m = new LinkedHashMap<>();
    int n = 0;
    for (String line : text.split("\n", -1)) {
      n++;
      if (line.isBlank() || line.startsWith("#")) continue;
      int eq = line.indexOf('=');
      if (eq < 1) throw new IllegalArgumentException("line " + n + " is not key=value");
      String key = line.substring(0, eq);
      if (!KEYS.contains(key)) throw new IllegalArgumentException("line " + n + ": unknown key '" + shorten(key) + "'");
      if (m.containsKey(key)) throw new IllegalArgumentException("line " + n + ": " + key + " given twice");
      m.put(key, check(key, line.substring(eq + 1)));
    }
    return new SetupState(m);
  }

  String format() {
    StringBuilder b = new StringBuilder(HEADER).append('\n');
    for (String k : KEYS) {
      if (values.containsKey(k)) b.append(k).append('=').append(values.get(k)).append('\n');
    }
    return b.toString();
  }

  private static String check(String key, String value) {
    if (value.length() > MAX_VALUE) {
      throw new IllegalArgumentException(key + ": longer than " + MAX_VALUE + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new IllegalArgumentException(key + ": holds a control character");
      }
    }
    return value;
  }

  private static String shorten(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
