package io.vgapass.it;

import static io.vgapass.testing.Cmd.virsh;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vgapass.cli.Json;
import io.vgapass.cli.CliRunner;
import io.vgapass.host.EfiVarStore;
import io.vgapass.host.MicrosoftCerts;
import io.vgapass.testing.LabAssumptions;
import io.vgapass.testing.OvmfVars;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * firmware enroll --domain against the real libvirtd: the domain's &lt;os&gt;&lt;nvram&gt; and template come from its
 * definition, a domain never started gets its variables file made from the template with the 2023 certificates,
 * and undo removes it again. The files live under a root of the test's own (--sysroot), so neither the host's
 * nvram directory nor its journal is touched.
 */
class FirmwareEnrollDomainTest {
  @TempDir Path dir;

  @BeforeEach
  void lab() {
    LabAssumptions.assumeLab();
  }

  @Test
  void aDomainNeverStartedGetsItsFileFromTheTemplatePlusThe2023CertificatesAndUndoRemovesIt() throws Exception {
    String name = "vgapass-enroll-" + Long.toHexString(System.nanoTime());
    String nvram = "/var/lib/libvirt/qemu/nvram/" + name + "_VARS.fd";
    Path root = Files.createDirectories(dir.resolve("root"));
    Files.createDirectories(root.resolve("proc"));
    Path template = root.resolve("usr/share/OVMF/OVMF_VARS_4M.ms.fd");
    Files.createDirectories(template.getParent());
    Files.write(template, OvmfVars.debian("OVMF_VARS_4M.ms.fd"));
    Path xml = dir.resolve("domain.xml");
    Files.writeString(xml, """
        <domain type='qemu'>
          <name>%s</name>
          <memory unit='MiB'>256</memory>
          <vcpu>1</vcpu>
          <os>
            <type arch='x86_64' machine='q35'>hvm</type>
            <loader readonly='yes' secure='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.ms.fd</loader>
            <nvram template='/usr/share/OVMF/OVMF_VARS_4M.ms.fd'>%s</nvram>
          </os>
          <features><acpi/><smm state='on'/></features>
        </domain>
        """.formatted(name, nvram));
    virsh("define", xml.toString());
    try {
      String[] base = {"--domain", name, "--sysroot", root.toString(), "--connect", LabAssumptions.LIBVIRT_URI};
      Path file = root.resolve(nvram.substring(1));
      CliRunner.Result dry = CliRunner.run("firmware", "enroll", "--dry-run", "--json", base[0], base[1], base[2], base[3], base[4], base[5]);
      assertThat(dry.code()).as(dry.err()).isZero();
      JsonNode j = Json.mapper().readTree(dry.out());
      assertThat(j.path("domain").asText()).isEqualTo(name);
      assertThat(j.path("file").asText()).isEqualTo(nvram);
      assertThat(j.path("created").asBoolean()).isTrue();
      assertThat(j.path("addedDb")).hasSize(3);
      assertThat(file).doesNotExist();

      CliRunner.Result real = CliRunner.run("firmware", "enroll", base[0], base[1], base[2], base[3], base[4], base[5]);
      assertThat(real.code()).as(real.err()).isZero();
      assertThat(real.out()).contains("does not exist yet; made from the template /usr/share/OVMF/OVMF_VARS_4M.ms.fd")
          .contains("[1/1] create " + nvram);
      assertThat(EfiVarStore.keys(Files.readAllBytes(file)).dbHas(MicrosoftCerts.OPTION_ROM_2023)).isTrue();
      CliRunner.Result keys = CliRunner.run("firmware", "keys", base[0], base[1], base[2], base[3], base[4], base[5]);
      assertThat(keys.out()).contains("(domain " + name + ")", "Microsoft's 2023 certificates: all present");

      CliRunner.Result undo = CliRunner.run("host", "undo", "--yes", "--sysroot", root.toString());
      assertThat(undo.code()).as(undo.err()).isZero();
      assertThat(file).doesNotExist();
      assertThat(template).hasBinaryContent(OvmfVars.debian("OVMF_VARS_4M.ms.fd"));
    } finally {
      virsh("undefine", "--nvram", name);
    }
  }


}
