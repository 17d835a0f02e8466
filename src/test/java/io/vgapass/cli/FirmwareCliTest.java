package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vgapass.host.EfiVarStore;
import io.vgapass.host.MicrosoftCerts;
import io.vgapass.testing.OvmfVars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** vgapass firmware keys / enroll on copies of Debian's templates under a root, with the journal's undo. */
class FirmwareCliTest {
  @TempDir Path dir;

  private Path copy(String template) throws Exception {
    Path f = dir.resolve("var/lib/libvirt/qemu/nvram/win11_VARS.fd");
    Files.createDirectories(f.getParent());
    Files.createDirectories(dir.resolve("proc"));
    Files.write(f, OvmfVars.debian(template));
    return f;
  }

  @Test
  void enrollIsJournaledIdempotentAndUndoneByteForByte() throws Exception {
    Path f = copy("OVMF_VARS_4M.ms.fd");
    byte[] original = Files.readAllBytes(f);
    String vars = "/var/lib/libvirt/qemu/nvram/win11_VARS.fd";

    Cli keys = Cli.run("firmware", "keys", "--sysroot", dir.toString(), "--vars", vars);
    assertThat(keys.exit()).as(keys.err()).isZero();
    assertThat(keys.out()).contains("KEK: Debian", MicrosoftCerts.KEK_2011)
        .contains("missing Microsoft 2023 certificates: KEK: Microsoft Corporation KEK 2K CA 2023, db: Windows "
            + "UEFI CA 2023, db: Microsoft UEFI CA 2023, db: Microsoft Option ROM UEFI CA 2023");

    Cli dry = Cli.run("firmware", "enroll", "--sysroot", dir.toString(), "--vars", vars, "--dry-run");
    assertThat(dry.exit()).as(dry.err()).isZero();
    assertThat(dry.out()).contains("would add to KEK: Microsoft Corporation KEK 2K CA 2023")
        .contains("would add to db: Windows UEFI CA 2023, Microsoft UEFI CA 2023, Microsoft Option ROM UEFI CA 2023")
        .contains("dry run: nothing was written");
    assertThat(Files.readAllBytes(f)).isEqualTo(original);
    assertThat(dir.resolve("var/lib/vgapass/journal")).doesNotExist();

    Cli real = Cli.run("firmware", "enroll", "--sysroot", dir.toString(), "--vars", vars);
    assertThat(real.exit()).as(real.err()).isZero();
    assertThat(real.out()).contains("added to KEK: Microsoft Corporation KEK 2K CA 2023")
        .contains("[1/1] edit " + vars).contains("undo: vgapass host undo");
    byte[] enrolled = Files.readAllBytes(f);
    assertThat(EfiVarStore.keys(enrolled).kekHas(MicrosoftCerts.KEK_2023)).isTrue();
    assertThat(EfiVarStore.keys(enrolled).dbHas(MicrosoftCerts.OPTION_ROM_2023)).isTrue();

    Cli again = Cli.run("firmware", "enroll", "--sysroot", dir.toString(), "--vars", vars);
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.out()).contains("already holds Microsoft's 2023 certificates").contains("nothing to do");
    assertThat(Files.readAllBytes(f)).isEqualTo(enrolled);
    try (var s = Files.list(dir.resolve("var/lib/vgapass/journal"))) {
      assertThat(s.count()).as("one transaction: the second run wrote none").isEqualTo(1);
    }

    Cli undo = Cli.run("host", "undo", "--yes", "--sysroot", dir.toString());
    assertThat(undo.exit()).as(undo.err()).isZero();
    assertThat(FirmwareCommand.sha256(Files.readAllBytes(f))).isEqualTo(FirmwareCommand.sha256(original));
  }

  @Test
  void jsonSaysWhatWasAddedAndTheDigests() throws Exception {
    Path f = copy("OVMF_VARS_4M.ms.fd");
    String before = FirmwareCommand.sha256(Files.readAllBytes(f));
    Cli c = Cli.run("firmware", "enroll", "--sysroot", dir.toString(), "--vars", f.toString(), "--json");
    assertThat(c.exit()).as(c.err()).isZero();
    JsonNode j = Json.mapper().readTree(c.out());
    assertThat(j.path("file").asText()).isEqualTo("/var/lib/libvirt/qemu/nvram/win11_VARS.fd");
    assertThat(j.path("changed").asBoolean()).isTrue();
    assertThat(j.path("addedKek").toString()).contains(MicrosoftCerts.KEK_2023);
    assertThat(j.path("addedDb")).hasSize(3);
    assertThat(j.path("sha256Before").asText()).isEqualTo(before);
    assertThat(j.path("sha256After").asText()).isEqualTo(FirmwareCommand.sha256(Files.readAllBytes(f)));
    assertThat(j.path("missing2023")).isEmpty();
    assertThat(j.path("keys").path("kek").get(1).path("microsoft").asText()).isEqualTo(MicrosoftCerts.KEK_2011);
    Cli k = Cli.run("firmware", "keys", "--sysroot", dir.toString(), "--vars", f.toString(), "--json");
    assertThat(Json.mapper().readTree(k.out()).path("keys").path("db")).hasSize(5);
  }

  @Test
  void badFilesAreOneLineExitTwoAndUnchanged() throws Exception {
    Path f = copy("OVMF_VARS_4M.ms.fd");
    byte[] ms = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(ms, ms.length / 2));
    Cli truncated = Cli.run("firmware", "enroll", "--sysroot", dir.toString(), "--vars", f.toString());
    assertThat(truncated.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(truncated.errLines()).hasSize(1);
    assertThat(truncated.err()).contains("not an OVMF variables file vgapass can read").contains("truncated")
        .contains("nothing was changed");
    assertThat(Files.size(f)).isEqualTo(ms.length / 2);

    byte[] junk = new byte[ms.length];
    new java.util.Random(3).nextBytes(junk);
    Files.write(f, junk);
    Cli garbage = Cli.run("firmware", "keys", "--sysroot", dir.toString(), "--vars", f.toString());
    assertThat(garbage.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(garbage.errLines()).singleElement().asString().contains("_FVH");

    Files.write(f, OvmfVars.debian("OVMF_VARS_4M.fd"));
    Cli blank = Cli.run("firmware", "enroll", "--sysroot", dir.toString(), "--vars", f.toString());
    assertThat(blank.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(blank.errLines()).singleElement().asString().contains("no platform key (PK)");

    Cli missing = Cli.run("firmware", "enroll", "--sysroot", dir.toString(), "--vars", "/nowhere/VARS.fd");
    assertThat(missing.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(missing.errLines()).singleElement().asString().contains("--vars /nowhere/VARS.fd: no such file");

    Files.createSymbolicLink(dir.resolve("link.fd"), f);
    Cli link = Cli.run("firmware", "enroll", "--sysroot", dir.toString(), "--vars", dir.resolve("link.fd").toString());
    assertThat(link.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(link.err()).contains("symbolic link");

    Cli both = Cli.run("firmware", "enroll", "--vars", f.toString(), "--domain", "x");
    assertThat(both.exit()).isEqualTo(ExitCode.USAGE);
  }

  @Test
  void aRunningDomainIsRefused() {
    // libvirt's test driver: its domain "test" is running
    Cli c = Cli.run("firmware", "enroll", "--domain", "test", "--connect", "test:///default");
    assertThat(c.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(c.errLines()).singleElement().asString().contains("--domain test: the domain is running")
        .contains("stop it first");
    Cli none = Cli.run("firmware", "enroll", "--domain", "nosuch", "--connect", "test:///default");
    assertThat(none.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(none.err()).contains("no such domain");
  }
}
