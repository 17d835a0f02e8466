package io.vgapass.it;

import static io.vgapass.testing.Cmd.virsh;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vgapass.cli.Json;
import io.vgapass.cli.Main;
import io.vgapass.host.EfiVarStore;
import io.vgapass.host.MicrosoftCerts;
import io.vgapass.testing.LabAssumptions;
import io.vgapass.testing.OvmfVars;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
      Run dry = run("firmware", "enroll", "--dry-run", "--json", base[0], base[1], base[2], base[3], base[4], base[5]);
      assertThat(dry.exit()).as(dry.err()).isZero();
      JsonNode j = Json.mapper().readTree(dry.out());
      assertThat(j.path("domain").asText()).isEqualTo(name);
      assertThat(j.path("file").asText()).isEqualTo(nvram);
      assertThat(j.path("created").asBoolean()).isTrue();
      assertThat(j.path("addedDb")).hasSize(3);
      assertThat(file).doesNotExist();

      Run real = run("firmware", "enroll", base[0], base[1], base[2], base[3], base[4], base[5]);
      assertThat(real.exit()).as(real.err()).isZero();
      assertThat(real.out()).contains("does not exist yet; made from the template /usr/share/OVMF/OVMF_VARS_4M.ms.fd")
          .contains("[1/1] create " + nvram);
      assertThat(EfiVarStore.keys(Files.readAllBytes(file)).dbHas(MicrosoftCerts.OPTION_ROM_2023)).isTrue();
      Run keys = run("firmware", "keys", base[0], base[1], base[2], base[3], base[4], base[5]);
      assertThat(keys.out()).contains("(domain " + name + ")", "Microsoft's 2023 certificates: all present");

      Run undo = run("host", "undo", "--yes", "--sysroot", root.toString());
      assertThat(undo.exit()).as(undo.err()).isZero();
      assertThat(file).doesNotExist();
      assertThat(template).hasBinaryContent(OvmfVars.debian("OVMF_VARS_4M.ms.fd"));
    } finally {
      virsh("undefine", "--nvram", name);
    }
  }

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
        new PrintStream(e, true, StandardCharsets.UTF_8));
    return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
  }
}
