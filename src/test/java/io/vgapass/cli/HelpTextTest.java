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
      check(cmd + " footer", spec.usageMessage().footer(), broken);
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
}
