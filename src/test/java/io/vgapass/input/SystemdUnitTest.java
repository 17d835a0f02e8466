package io.vgapass.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vgapass.testing.Cases;
import io.vgapass.testing.Cmd;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16.9: values in a systemd unit. The command line is read back with systemd's own rules, as systemd.syntax(7)
 * and systemd.service(5) give them (specifiers first, on the whole line; then words, quotes and C escapes; then
 * {@code $} expansion per word), and checked to give back exactly the arguments; systemd-analyze verify, where
 * installed, reads a unit full of awkward arguments without a complaint.
 */
public class SystemdUnitTest {
  @TempDir Path dir;

  /** What the arguments are drawn from: systemd's special characters, line breaks of every kind, and all of ASCII. */
  private static final String ALPHABET = alphabet();

  @TestFactory
  Stream<DynamicTest> everyArgumentComesBackAsItWas() {
    return Cases.of(300, g -> g.list(0, 5, x -> x.string(20, ALPHABET)))
        .fixed(List.of(), List.of(""), List.of("%%", "$$", "\\", "\"", "'", "\n", "\u2028\u0085"))
        .check(argv -> {
          List<String> all = new ArrayList<>(List.of("/usr/bin/java"));
          all.addAll(argv);
          assertThat(systemdWords(SystemdUnit.commandLine(all))).isEqualTo(all);
        });
  }

  private static String alphabet() {
    StringBuilder b = new StringBuilder("%$\"'\\ \t\n;{}aZ0\u00e9\u2028\u0085");
    for (char c = '\u0001'; c <= '\u007f'; c++) b.append(c);
    return b.toString();
  }

  @Test
  void theIssuesExamplesStayOneWord() {
    List<String> argv = List.of("/usr/bin/java", "--domain", "win10\nExecStartPre=/bin/sh -c 'touch /tmp/x'",
        "--token-file", "/home/%u/tok", "--listen", "$HOST:1", "a\"b", "c\\");
    String line = SystemdUnit.commandLine(argv);
    assertThat(line).doesNotContain("\n").contains("/home/%%u/tok", "\"$$HOST:1\"").doesNotContain("/%u/", "\"$HOST");
    assertThat(systemdWords(line)).isEqualTo(argv);
    assertThat(SystemdUnit.commandLine(List.of("/usr/bin/java", "-cp", "/opt/a.jar:/opt/b.jar", "qemu:///system")))
        .isEqualTo("/usr/bin/java -cp /opt/a.jar:/opt/b.jar qemu:///system");
  }

  @Test
  void freeTextEscapesSpecifiersAndRefusesWhatCannotBeEscaped() {
    assertThat(SystemdUnit.text("win 10 %n 100%")).isEqualTo("win 10 %%n 100%%");
    for (String bad : List.of("a\nDescription=x", "a\rb", "a\u2028b", "a\u0085b", "a\\")) {
      assertThat(SystemdUnit.textProblem(bad)).as(bad).isNotNull();
      assertThatThrownBy(() -> SystemdUnit.text(bad)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void unitNamesStayApartWhenCharactersAreReplaced() {
    assertThat(SystemdUnit.namePart("win10")).isEqualTo("win10");
    assertThat(SystemdUnit.namePart("Win-10.a_b")).isEqualTo("Win-10.a_b");
    List<String> names = List.of("a b", "a_b", "a%b", "a/b", "a\u00e9b", "a\u00c9b");
    assertThat(names.stream().map(SystemdUnit::namePart).distinct()).hasSize(names.size())
        .allMatch(n -> n.matches("[A-Za-z0-9_.-]+"));
  }

  @Test
  void systemdAnalyzeReadsTheUnitWithoutComplaint() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")), "systemd-analyze is not installed");
    List<String> argv = List.of("/bin/true", "a b", "c%d", "e$f", "g\"h", "i\\j", "k\nl", "m'n", "; o", "p\tq");
    Path unit = dir.resolve("vgapass-test.service");
    Files.writeString(unit, "[Unit]\nDescription=" + SystemdUnit.text("x %n 100%") + "\n[Service]\nExecStart="
        + SystemdUnit.commandLine(argv) + "\n", StandardCharsets.UTF_8);
    Cmd.Result r = Cmd.run(Duration.ofSeconds(60), "systemd-analyze", "verify", unit.toString());
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.out() + r.err()).doesNotContainIgnoringCase("ignoring").doesNotContainIgnoringCase("quot");
  }

  /** systemd's reading of an ExecStart= value (only what a command line of ours can hold). */
  public static List<String> systemdWords(String line) {
    // 1. specifiers, on the whole value: ours are only ever %%
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '%') {
        assertThat(line.charAt(i + 1)).as("a specifier other than %% in " + line).isEqualTo('%');
        i++;
      }
      s.append(c);
    }
    // 2. words: blanks separate, quotes group, C escapes inside quotes
    List<String> words = new ArrayList<>();
    String t = s.toString();
    int i = 0;
    while (i < t.length()) {
      while (i < t.length() && (t.charAt(i) == ' ' || t.charAt(i) == '\t')) i++;
      if (i >= t.length()) break;
      ByteArrayOutputStream w = new ByteArrayOutputStream();
      while (i < t.length() && t.charAt(i) != ' ' && t.charAt(i) != '\t') {
        char c = t.charAt(i);
        assertThat(c).as("a raw line break or control character in " + line).isGreaterThanOrEqualTo(' ');
        if (c == '"') {
          i++;
          while (t.charAt(i) != '"') {
            char q = t.charAt(i);
            assertThat(Character.isISOControl(q)).as("raw control character in quotes: " + line).isFalse();
            if (q == '\\') {
              char e = t.charAt(i + 1);
              switch (e) {
                case '\\', '"', '\'' -> w.writeBytes(String.valueOf(e).getBytes(StandardCharsets.UTF_8));
                case 'n' -> w.write('\n');
                case 't' -> w.write('\t');
                case 'x' -> {
                  w.write(Integer.parseInt(t.substring(i + 2, i + 4), 16));
                  i += 2;
                }
                default -> throw new AssertionError("escape \\" + e + " in " + line);
              }
              i += 2;
            } else {
              w.writeBytes(String.valueOf(q).getBytes(StandardCharsets.UTF_8));
              i++;
            }
          }
          i++;
        } else {
          assertThat("'\\".indexOf(c)).as("an unquoted ' or \\ in " + line).isNegative();
          w.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
          i++;
        }
      }
      words.add(w.toString(StandardCharsets.UTF_8));
    }
    // 3. $ on each word: ours are only ever $$
    List<String> out = new ArrayList<>();
    for (String word : words) {
      StringBuilder b = new StringBuilder();
      for (int k = 0; k < word.length(); k++) {
        char c = word.charAt(k);
        if (c == '$') {
          assertThat(word.charAt(k + 1)).as("a variable in " + line).isEqualTo('$');
          k++;
        }
        b.append(c);
      }
      out.add(b.toString());
    }
    return out;
  }
}
