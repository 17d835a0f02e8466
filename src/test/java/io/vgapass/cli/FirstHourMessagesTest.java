package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 19, "Defaults and messages": what a newcomer's slips get back, one line each, exit 2. */
class FirstHourMessagesTest {
  private static void oneLine(CliRunner.Result r, String expected) {
    assertThat(r.code()).as("%s", r).isEqualTo(ExitCode.USAGE);
    assertThat(r.errLines()).as("%s", r).containsExactly(expected);
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aMistypedVerbIsNamedWithTheCommandMeant() {
    oneLine(CliRunner.run("docter"), "vgapass: unknown command 'docter'; did you mean doctor?");
    oneLine(CliRunner.run("host", "aply", "--example"), "vgapass: unknown command 'host aply'; did you mean host apply?");
  }

  @Test
  void aWordLikeNoCommandListsTheCommands() {
    CliRunner.Result r = CliRunner.run("vm", "xyzzy");
    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.errLines()).singleElement().asString()
        .startsWith("vgapass: unknown command 'vm xyzzy'; the commands of vgapass vm: ").contains("define", "start");
  }

  /** --domain NAME is the convention; the name alone stays for vm start/stop and verify. Two different ones: refused. */
  @Test
  void theDomainIsGivenOnceEitherWay() {
    for (String[] cmd : new String[][] {{"vm", "start"}, {"vm", "stop"}, {"verify"}}) {
      String[] both = concat(cmd, "win-a", "--domain", "win-b");
      oneLine(CliRunner.run(both), "vgapass: two domains given: win-a and --domain win-b; name one");
      oneLine(CliRunner.run(cmd), "vgapass: which domain? give --domain NAME (or the name alone); virsh list --all "
          + "lists them");
    }
  }

  @Test
  void aSecondDefineOfANameSaysHowToReplaceItOrPickAnother() {
    assertThat(PlanCommand.alreadyDefined("win-gpu", "qemu:///system")).isEqualTo("--define: a domain named win-gpu "
        + "already exists on qemu:///system; to change it: vgapass vm tune --domain win-gpu (keeps its disks and your "
        + "edits), or plan another with --name NEW-NAME");
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
