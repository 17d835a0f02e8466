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

    CliRunner.Result keys = CliRunner.run("firmware", "keys", "--sysroot", dir.toString(), "--vars", vars);
    assertThat(keys.code()).as(keys.err()).isZero();
    assertThat(keys.out()).contains("KEK: Debian", MicrosoftCerts.KEK_2011)
        .contains("missing Microsoft 2023 certificates: KEK: Microsoft Corporation KEK 2K CA 2023, db: Windows "
            + "UEFI CA 2023, db: Microsoft UEFI CA 2023, db: Microsoft Option ROM UEFI CA 2023");

    CliRunner.Result dry = CliRunner.run("firmware", "enroll", "--sysroot", dir.toString(), "--vars", vars, "--dry-run");
    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.out()).contains("would add to KEK: Microsoft Corporation KEK 2K CA 2023")
        .contains("would add to db: Windows UEFI CA 2023, Microsoft UEFI CA 2023, Microsoft Option ROM UEFI CA 2023")
        .contains("dry run: nothing was written");
    assertThat(Files.readAllBytes(f)).isEqualTo(original);
    assertThat(dir.resolve("var/lib/vgapass/journal")).doesNotExist();

    CliRunner.Result real = CliRunner.run("firmware", "enroll", "--sysroot", dir.toString(), "--vars", vars);
    assertThat(real.code()).as(real.err()).isZero();
    assertThat(real.out()).contains("added to KEK: Microsoft Corporation KEK 2K CA 2023")
        .contains("[1/1] edit " + vars).contains("undo: vgapass host undo");
    byte[] enrolled = Files.readAllBytes(f);
    assertThat(EfiVarStore.keys(enrolled).kekHas(MicrosoftCerts.KEK_2023)).isTrue();
    assertThat(EfiVarStore.keys(enrolled).dbHas(MicrosoftCerts.OPTION_ROM_2023)).isTrue();

    CliRunner.Result again = CliRunner.run("firmware", "enroll", "--sysroot", dir.toString(), "--vars", vars);
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("already holds Microsoft's 2023 certificates").contains("nothing to do");
    assertThat(Files.readAllBytes(f)).isEqualTo(enrolled);
    try (var s = Files.list(dir.resolve("var/lib/vgapass/journal"))) {
      assertThat(s.count()).as("one transaction: the second run wrote none").isEqualTo(1);
    }

    CliRunner.Result undo = CliRunner.run("host", "undo", "--yes", "--sysroot", dir.toString());
    assertThat(undo.code()).as(undo.err()).isZero();
    assertThat(FirmwareCommand.sha256(Files.readAllBytes(f))).isEqualTo(FirmwareCommand.sha256(original));
  }

  @Test
  void jsonSaysWhatWasAddedAndTheDigests() throws Exception {
    Path f = copy("OVMF_VARS_4M.ms.fd");
    String before = FirmwareCommand.sha256(Files.readAllBytes(f));
    CliRunner.Result c = CliRunner.run("firmware", "enroll", "--sysroot", dir.toString(), "--vars", f.toString(), "--json");
    assertThat(c.code()).as(c.err()).isZero();
    JsonNode j = Json.mapper().readTree(c.out());
    assertThat(j.path("file").asText()).isEqualTo("/var/lib/libvirt/qemu/nvram/win11_VARS.fd");
    assertThat(j.path("changed").asBoolean()).isTrue();
    assertThat(j.path("addedKek").toString()).contains(MicrosoftCerts.KEK_2023);
    assertThat(j.path("addedDb")).hasSize(3);
    assertThat(j.path("sha256Before").asText()).isEqualTo(before);
    assertThat(j.path("sha256After").asText()).isEqualTo(FirmwareCommand.sha256(Files.readAllBytes(f)));
    assertThat(j.path("missing2023")).isEmpty();
    assertThat(j.path("keys").path("kek").get(1).path("microsoft").asText()).isEqualTo(MicrosoftCerts.KEK_2011);
    CliRunner.Result k = CliRunner.run("firmware", "keys", "--sysroot", dir.toString(), "--vars", f.toString(), "--json");
    assertThat(Json.mapper().readTree(k.out()).path("keys").path("db")).hasSize(5);
  }

  @Test
  void badFilesAreOneLineExitTwoAndUnchanged() throws Exception {
    Path f = copy("OVMF_VARS_4M.ms.fd");
    byte[] ms = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(ms, ms.length / 2));
    CliRunner.Result truncated = CliRunner.run("firmware", "enroll", "--sysroot", dir.toString(), "--vars", f.toString());
    assertThat(truncated.code()).isEqualTo(ExitCode.USAGE);
    assertThat(truncated.errLines()).hasSize(1);
    assertThat(truncated.err()).contains("not an OVMF variables file vgapass can read").contains("truncated")
        .contains("nothing was changed");
    assertThat(Files.size(f)).isEqualTo(ms.length / 2);

    byte[] junk = new byte[ms.length];
    new java.util.Random(3).nextBytes(junk);
    Files.write(f, junk);
    CliRunner.Result garbage = CliRunner.run("firmware", "keys", "--sysroot", dir.toString(), "--vars", f.toString());
    assertThat(garbage.code()).isEqualTo(ExitCode.USAGE);
    assertThat(garbage.errLines()).singleElement().asString().contains("_FVH");

    Files.write(f, OvmfVars.debian("OVMF_VARS_4M.fd"));
    CliRunner.Result blank = CliRunner.run("firmware", "enroll", "--sysroot", dir.toString(), "--vars", f.toString());
    assertThat(blank.code()).isEqualTo(ExitCode.USAGE);
    assertThat(blank.errLines()).singleElement().asString().contains("no platform key (PK)");

    CliRunner.Result missing = CliRunner.run("firmware", "enroll", "--sysroot", dir.toString(), "--vars", "/nowhere/VARS.fd");
    assertThat(missing.code()).isEqualTo(ExitCode.USAGE);
    assertThat(missing.errLines()).singleElement().asString().contains("--vars /nowhere/VARS.fd: no such file");

    Files.createSymbolicLink(dir.resolve("link.fd"), f);
    CliRunner.Result link = CliRunner.run("firmware", "enroll", "--sysroot", dir.toString(), "--vars", dir.resolve("link.fd").toString());
    assertThat(link.code()).isEqualTo(ExitCode.USAGE);
    assertThat(link.err()).contains("symbolic link");

    CliRunner.Result both = CliRunner.run("firmware", "enroll", "--vars", f.toString(), "--domain", "x");
    assertThat(both.code()).isEqualTo(ExitCode.USAGE);
  }

  @Test
  void aRunningDomainIsRefused() {
    // libvirt's test driver: its domain "test" is running
    CliRunner.Result c = CliRunner.run("firmware", "enroll", "--domain", "test", "--connect", "test:///default");
    assertThat(c.code()).isEqualTo(ExitCode.USAGE);
    assertThat(c.errLines()).singleElement().asString().contains("--domain test: the domain is running")
        .contains("stop it first");
    CliRunner.Result none = CliRunner.run("firmware", "enroll", "--domain", "nosuch", "--connect", "test:///default");
    assertThat(none.code()).isEqualTo(ExitCode.USAGE);
    assertThat(none.err()).contains("no such domain");
  }
}
