package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Help texts are wrapped by picocli, never by hand: a description given as several lines must break only between
 * sentences (a hand-made break mid-sentence came out as "accept vgapass's / tuning:" at every terminal width).
 */
class HelpTextTest {
  /** A line that ends a sentence or introduces what follows. */
  private static final String SENTENCE_END = "(?s).*[.:!?][)\"']?";

  @Test
  void noDescriptionBreaksMidSentence() {
    List<String> broken = new ArrayList<>();
    for (Map.Entry<String, CommandSpec> e : JunkArgumentsTest.commands().entrySet()) {
      String cmd = "vgapass " + e.getKey();
      CommandSpec spec = e.getValue();
      check(cmd + " description", spec.usageMessage().description(), broken);
      check(cmd + " header", spec.usageMessage().header(), broken);
      // an indented footer line is an example command, shown as typed: no sentence to end
      check(cmd + " footer", java.util.Arrays.stream(spec.usageMessage().footer()).filter(l -> !l.startsWith("  "))
          .toArray(String[]::new), broken);
      for (OptionSpec o : spec.options()) check(cmd + " " + o.longestName(), o.description(), broken);
      for (PositionalParamSpec p : spec.positionalParameters()) check(cmd + " " + p.paramLabel(), p.description(), broken);
    }
    assertThat(broken).as("help lines broken by hand mid-sentence").isEmpty();
  }

  private static void check(String where, String[] lines, List<String> broken) {
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i].strip();
      if (l.contains("%n") || l.contains("\n")) broken.add(where + ": a line break inside \"" + l + "\"");
      if (i < lines.length - 1 && !l.isEmpty() && !l.matches(SENTENCE_END)) broken.add(where + ": \"" + l + "\"");
    }
  }

  @Test
  void theCheckSeesABreakMidSentence() {
    List<String> broken = new ArrayList<>();
    check("selftest as it was", new String[] {"that libvirt, QEMU and the kernel accept vgapass's",
        "tuning: a throwaway TCG domain is defined."}, broken);
    check("two sentences", new String[] {"Apply the tuning.", "Exit 0 when it passes."}, broken);
    assertThat(broken).containsExactly("selftest as it was: \"that libvirt, QEMU and the kernel accept vgapass's\"");
  }

  @Test
  void everyCommandPrintsItsHelp() {
    for (String path : JunkArgumentsTest.commands().keySet()) {
      List<String> args = new ArrayList<>(path.isEmpty() ? List.of() : List.of(path.split(" ")));
      args.add("--help");
      CliRunner.Result r = CliRunner.run(args);
      assertThat(r.code()).as("%s", r).isEqualTo(ExitCode.OK);
      assertThat(r.out()).as("%s", r).startsWith("Usage: vgapass" + (path.isEmpty() ? "" : " " + path));
      // declared once on the top command, inherited by every command below
      assertThat(r.out()).as("%s", r).contains("  -h, --help ", "  -V, --version ", "      --debug ");
      assertThat(r.err()).as("%s", r).isEmpty();
    }
  }

  /** Every option and parameter says what it is for: not empty, not only "Repeatable.", not another command's words. */
  @Test
  void everyOptionIsDescribed() {
    List<String> bare = new ArrayList<>();
    for (Map.Entry<String, CommandSpec> e : JunkArgumentsTest.commands().entrySet()) {
      String cmd = "vgapass " + e.getKey();
      for (OptionSpec o : e.getValue().options()) {
        String d = String.join(" ", o.description()).strip();
        if (d.isEmpty() || d.replace("Repeatable.", "").strip().isEmpty()) bare.add(cmd + " " + o.longestName());
        if (!e.getKey().endsWith("install") && d.startsWith("Install ")) bare.add(cmd + " " + o.longestName() + ": " + d);
      }
      for (PositionalParamSpec p : e.getValue().positionalParameters()) {
        if (String.join(" ", p.description()).isBlank()) bare.add(cmd + " " + p.paramLabel());
      }
    }
    assertThat(bare).as("options without a description of their own").isEmpty();
  }

  /** The command lists of vgapass --help and of each group show whole sentences, never one cut off. */
  @Test
  void everySummaryInACommandListIsWhole() {
    for (Map.Entry<String, CommandSpec> e : JunkArgumentsTest.commands().entrySet()) {
      if (e.getValue().subcommands().isEmpty()) continue;
      List<String> args = new ArrayList<>(e.getKey().isEmpty() ? List.of() : List.of(e.getKey().split(" ")));
      args.add("--help");
      String out = CliRunner.run(args).out();
      String list = out.substring(out.indexOf("Commands:"));
      list = list.contains("\n\n") ? list.substring(0, list.indexOf("\n\n")) : list;
      // one entry per command: its name at column 2, then wrapped lines; each entry must end a sentence
      List<String> entries = new ArrayList<>();
      for (String l : list.lines().skip(1).toList()) {
        if (l.startsWith("  ") && !l.startsWith("   ")) entries.add(l.strip());
        else if (!entries.isEmpty()) entries.set(entries.size() - 1, entries.get(entries.size() - 1) + " " + l.strip());
      }
      assertThat(entries).as("vgapass %s --help", e.getKey()).isNotEmpty()
          .allSatisfy(x -> assertThat(x).matches(SENTENCE_END));
    }
  }

  /** A newcomer's verbs end their help with examples to copy. */
  @Test
  void theVerbsANewcomerUsesHaveExamples() {
    for (String path : List.of("doctor", "host plan", "host apply", "host undo", "plan", "vm define", "vm start",
        "vm stop", "vm tune", "verify", "hooks install", "gpu release", "gpu reclaim", "gpu status", "selftest")) {
      List<String> args = new ArrayList<>(List.of(path.split(" ")));
      args.add("--help");
      String out = CliRunner.run(args).out();
      assertThat(out).as("vgapass %s --help", path).contains("\nExamples:\n");
      String examples = out.substring(out.indexOf("\nExamples:\n"));
      assertThat(examples.lines().filter(l -> l.startsWith("  vgapass " + path) || l.startsWith("  sudo vgapass " + path)))
          .as("vgapass %s --help: examples of that command", path).isNotEmpty();
    }
  }
}
