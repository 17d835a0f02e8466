package io.vgapass.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.host.sketch.HostSketch;
import io.vgapass.host.sketch.SketchWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A capture is made to be posted: secret kernel parameters leave it as REDACTED (issue 16, item 12). */
class SecretParametersTest {
  @TempDir Path tmp;

  @Test
  void secretParametersAreRedactedAndNamed() {
    SecretParameters.Redaction r = SecretParameters.redact("BOOT_IMAGE=/vmlinuz root=UUID=1 luks.key=/k:UUID=2 "
        + "rd.luks.key=abc cryptkey=rootfs:/key rd.iscsi.password=hunter2 x.api_token=t0k systemd.set_credential=a:b "
        + "quiet intel_iommu=on\n");
    assertThat(r.text()).isEqualTo("BOOT_IMAGE=/vmlinuz root=UUID=1 luks.key=REDACTED rd.luks.key=REDACTED "
        + "cryptkey=REDACTED rd.iscsi.password=REDACTED x.api_token=REDACTED systemd.set_credential=REDACTED quiet "
        + "intel_iommu=on\n");
    assertThat(r.names()).containsExactly("luks.key", "rd.luks.key", "cryptkey", "rd.iscsi.password", "x.api_token",
        "systemd.set_credential");
  }

  @Test
  void whatOnlyLooksLikeAKeyStays() {
    String line = "rd.vconsole.keymap=de-latin1 vconsole.keymap=us keytable=x iommu.passthrough=1 "
        + "cryptdevice=/dev/sda2:root rd.luks.uuid=luks-1 vfio-pci.ids=10de:1b81 isolcpus=2-5 luks.keyless";
    SecretParameters.Redaction r = SecretParameters.redact(line);
    assertThat(r.text()).isEqualTo(line);
    assertThat(r.changed()).isFalse();
  }

  @Test
  void quotedValuesAndQuotedListsAreRedactedWhole() {
    SecretParameters.Redaction r = SecretParameters.redact(
        "luks.key=\"a b c\" quiet\nGRUB_CMDLINE_LINUX=\"rhgb rd.luks.key=/x:UUID=3 quiet\"\n# PASSWORD=pw\n");
    assertThat(r.text()).isEqualTo(
        "luks.key=REDACTED quiet\nGRUB_CMDLINE_LINUX=\"rhgb rd.luks.key=REDACTED quiet\"\n# PASSWORD=REDACTED\n");
    assertThat(r.names()).containsExactly("luks.key", "rd.luks.key", "PASSWORD");
  }

  /** The whole unpacked tar stream, every header and byte, as text. */
  private static String everyByte(Path archive) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      in.transferTo(b);
      return b.toString(StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void aCaptureKeepsNoSecretAndItsManifestSaysWhichWereRemoved() throws IOException {
    Path root = SketchWriter.write(HostSketch.parse("secret.host", """
        kernel 6.8.0
        cmdline BOOT_IMAGE=/vmlinuz-6.8.0 root=/dev/mapper/root rd.luks.key=/etc/keys/disk.key:UUID=abcd luks.key=S3cr3tKey rd.iscsi.password=hunter2 intel_iommu=on
        file etc/default/grub
        GRUB_TIMEOUT=5
        GRUB_CMDLINE_LINUX="rd.luks.key=S3cr3tKey rhgb quiet"
        end
        """), tmp.resolve("host"));
    Host direct = HostReader.read(new SysRoot(root));
    Path archive = tmp.resolve("c.tar.gz");
    CaptureArchive.Written w = CaptureArchive.capture(new SysRoot(root), archive);

    String all = everyByte(archive);
    assertThat(all).doesNotContain("S3cr3tKey", "hunter2", "disk.key");
    assertThat(all).contains("intel_iommu=on", "rd.luks.key=REDACTED");
    assertThat(w.redacted()).containsEntry("proc/cmdline", List.of("rd.luks.key", "luks.key", "rd.iscsi.password"));
    Path back = tmp.resolve("back");
    CaptureArchive.extract(archive, back);
    Map<String, List<String>> manifest = CaptureArchive.redacted(back);
    assertThat(manifest).isEqualTo(w.redacted());
    assertThat(manifest.get("etc/default/grub")).containsExactly("rd.luks.key");
    // what vgapass reads from the command line is still there
    Host replayed = HostReader.read(new SysRoot(back));
    assertThat(replayed.kernel().arguments()).contains("intel_iommu=on", "luks.key=REDACTED");
    assertThat(replayed.iommu()).isEqualTo(direct.iommu());
  }
}
