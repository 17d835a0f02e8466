package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A domain name libvirt does not know: verify, vm start and vm stop say so in one line and name the domains there
 * (libvirt's test driver defines one, "test"), instead of "not running … start it first", which sent the user to a
 * command that then failed too.
 */
class UnknownDomainTest {
  private static final String URI = "test:///default";

  @Test
  void verifyVmStartAndStopNameTheDomainsThere() {
    for (List<String> args : List.of(List.of("verify", "nosuch"), List.of("vm", "start", "nosuch"),
        List.of("vm", "stop", "nosuch"))) {
      List<String> argv = new java.util.ArrayList<>(args);
      argv.addAll(List.of("--connect", URI));
      CliRunner.Result r = CliRunner.run(argv.toArray(String[]::new));
      assertThat(r.code()).as("%s: %s", args, r.err()).isEqualTo(ExitCode.USAGE);
      assertThat(r.errLines()).as("%s", args).singleElement().asString()
          .isEqualTo("vgapass: nosuch: no such domain on " + URI + "; the domains there: test");
    }
  }

  @Test
  void longListsAreCutAndAnEmptyHostSaysHowToMakeOne() {
    List<String> many = java.util.stream.IntStream.range(0, 20).mapToObj(i -> "d" + (char) ('a' + i)).toList();
    assertThat(DomainNames.unknown(many, "x", URI)).endsWith("dk, dl and 8 more").contains("da, db,");
    assertThat(DomainNames.unknown(List.of(), "x", URI)).contains("has none defined", "vgapass plan --define");
  }
}
