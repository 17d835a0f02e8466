package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Golden tests for the guest scripts, and their bad input. */
class GuestCliTest {
  @TempDir Path dir;

  static String golden(String name) throws IOException {
    try (InputStream in = GuestCliTest.class.getResourceAsStream("/golden/guest/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void msiScriptForEveryFunctionOfTheCard() throws IOException {
    for (String f : new String[] {"0000:01:00.0", "0000:01:00.1", "01:00.0"}) {
      CliRunner.Result r = CliRunner.run("guest", "msi", "--example", "--gpu", f);
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).isEqualTo(golden("msi-reference-h97.ps1"));
    }
  }

  @Test
  void msiRefusesWhatIsNotACard() {
    CliRunner.Result usb = CliRunner.run("guest", "msi", "--example", "--gpu", "0000:00:14.0");
    assertThat(usb.code()).isEqualTo(ExitCode.USAGE);
    assertThat(usb.errLines()).containsExactly("vgapass: --gpu 0000:00:14.0: 8086:8cb1 is not a graphics card's "
        + "function (USB); vgapass doctor lists the cards");
    CliRunner.Result none = CliRunner.run("guest", "msi", "--example", "--gpu", "0000:09:00.0");
    assertThat(none.code()).isEqualTo(ExitCode.USAGE);
    assertThat(none.err()).contains("no PCI device 0000:09:00.0");
    CliRunner.Result bad = CliRunner.run("guest", "msi", "--example", "--gpu", "card");
    assertThat(bad.code()).isEqualTo(ExitCode.USAGE);
    assertThat(bad.errLines()).hasSize(1);
  }

  @Test
  void switchScriptCarriesUrlAndToken() throws IOException {
    Path tok = dir.resolve("tok");
    Files.writeString(tok, "tok_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ab\n");
    Files.setPosixFilePermissions(tok, PosixFilePermissions.fromString("rw-------"));
    CliRunner.Result r = CliRunner.run("guest", "switch-script", "--domain", "win10", "--url", "http://192.168.150.1:47801",
        "--token-file", tok.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(golden("switch-back.ps1"));
    CliRunner.Result ahk = CliRunner.run("guest", "switch-script", "--ahk");
    assertThat(ahk.out()).isEqualTo(golden("switch-back.ahk"));
  }

  @Test
  void switchScriptBadInput() throws IOException {
    Path tok = dir.resolve("tok");
    CliRunner.Result generated = CliRunner.run("guest", "switch-script", "--url", "http://10.0.0.1:1", "--token-file", tok.toString());
    assertThat(generated.code()).isZero();
    assertThat(generated.err()).contains("generated a token in " + tok);
    assertThat(generated.out()).contains("$Token = '" + Files.readString(tok).strip() + "'");
    CliRunner.Result url = CliRunner.run("guest", "switch-script", "--url", "http://x:1/'; Remove-Item", "--token-file", tok.toString());
    assertThat(url.code()).isEqualTo(ExitCode.USAGE);
    assertThat(url.errLines()).singleElement().asString().contains("use http://ADDR:PORT");
    CliRunner.Result key = CliRunner.run("guest", "switch-script", "--ahk", "--hotkey", "^!Home::Run('x')");
    assertThat(key.code()).isEqualTo(ExitCode.USAGE);
    Files.setPosixFilePermissions(tok, PosixFilePermissions.fromString("rw-r--r--"));
    CliRunner.Result open = CliRunner.run("guest", "switch-script", "--url", "http://10.0.0.1:1", "--token-file", tok.toString());
    assertThat(open.code()).isEqualTo(ExitCode.USAGE);
    assertThat(open.err()).contains("chmod 600");
    Path typo = dir.resolve("no-such-dir/tok");
    CliRunner.Result missing = CliRunner.run("guest", "switch-script", "--url", "http://10.0.0.1:1", "--token-file", typo.toString());
    assertThat(missing.code()).isEqualTo(ExitCode.USAGE);
    assertThat(missing.errLines()).singleElement().asString().contains("does not exist");
    assertThat(typo.getParent()).as("no directory made for a mistyped path").doesNotExist();
  }

  /**
   * Issue 16.9: the domain is named in a comment of the script, where a line break would start a line of code of
   * its own: refused, for every kind of line break PowerShell knows; quotes and the like stay in the comment.
   */
  @Test
  void switchScriptRefusesALineBreakInTheDomain() throws IOException {
    Path tok = dir.resolve("tok");
    Files.writeString(tok, "tok_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ab\n");
    Files.setPosixFilePermissions(tok, PosixFilePermissions.fromString("rw-------"));
    for (String domain : new String[] {"win10\nRemove-Item -Recurse C:\\", "win10\rcalc.exe", "win10\u2028calc",
        "win10\u0085calc"}) {
      CliRunner.Result r = CliRunner.run("guest", "switch-script", "--domain", domain, "--url", "http://10.0.0.1:1", "--token-file",
          tok.toString());
      assertThat(r.code()).as(domain).isEqualTo(ExitCode.USAGE);
      // C0/C1 controls are refused with every argument before any command runs; U+2028 by the script's own rule
      assertThat(r.errLines()).as(domain).singleElement().asString().contains("control character")
          .containsAnyOf("--domain win10?", "vgapass: argument 4 ");
      assertThat(r.out()).isEmpty();
    }
    CliRunner.Result quote = CliRunner.run("guest", "switch-script", "--domain", "win's $(calc) #x", "--url", "http://10.0.0.1:1",
        "--token-file", tok.toString());
    assertThat(quote.code()).as(quote.err()).isZero();
    assertThat(quote.out().lines().filter(l -> l.contains("calc")))
        .containsExactly("# vgapass switch script for the guest win's $(calc) #x (written by vgapass guest "
            + "switch-script).");
  }
}
