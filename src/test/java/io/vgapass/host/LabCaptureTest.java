package io.vgapass.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.doctor.Doctor;
import io.vgapass.doctor.Finding;
import io.vgapass.doctor.Severity;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real machine with an IOMMU: the VFIO lab's L1 ({@code ./lab/run --save-capture} writes the
 * capture). A q35 machine under TCG with an Intel IOMMU (interrupt remapping on), its own VGA
 * at 00:02.0 as the boot display, and on the root port 00:03.0 a two-function card: ati-vga
 * 1002:5046 on aty128fb and its "HDMI audio", intel-hda 8086:2668, on snd_hda_intel. Replayed
 * through the capture format, it must read as the running L1 did.
 */
class LabCaptureTest {
  static final String CAPTURE = "/captures/vfio-lab-l1.tar.gz";
  static final PciAddress CARD = PciAddress.parse("0000:01:00.0");
  static final PciAddress AUDIO = PciAddress.parse("0000:01:00.1");
  static final PciAddress ROOT_PORT = PciAddress.parse("0000:00:03.0");
  static final PciAddress HOST_VGA = PciAddress.parse("0000:00:02.0");

  @TempDir static Path tmp;
  static Host host;

  @BeforeAll
  static void replay() throws Exception {
    Path archive = tmp.resolve("vfio-lab-l1.tar.gz");
    try (InputStream in = LabCaptureTest.class.getResourceAsStream(CAPTURE)) {
      assertThat(in).as("test resource %s (./lab/run --save-capture)", CAPTURE).isNotNull();
      Files.copy(in, archive);
    }
    Path root = tmp.resolve("l1");
    CaptureArchive.extract(archive, root);
    host = HostReader.read(new SysRoot(root));
  }

  @Test
  void theCardAndItsAudioFunction() {
    PciDevice vga = host.device(CARD).orElseThrow();
    assertThat(vga.ids()).isEqualTo("1002:5046");
    assertThat(vga.classCode()).isEqualTo(0x030000);
    assertThat(vga.bootVga()).isFalse();
    assertThat(vga.parent()).isEqualTo(ROOT_PORT);
    assertThat(vga.resetMethods()).containsExactly("bus");
    assertThat(vga.driver()).isEqualTo("aty128fb");
    // QEMU's ati-vga carries a legacy x86 VGA BIOS; capture enabled the sysfs rom to read it
    assertThat(vga.rom().readable()).isTrue();
    assertThat(vga.rom().codeTypes()).containsExactly(0);
    PciDevice hda = host.device(AUDIO).orElseThrow();
    assertThat(hda.ids()).isEqualTo("8086:2668");
    assertThat(hda.classCode()).isEqualTo(0x040300);
    assertThat(hda.driver()).isEqualTo("snd_hda_intel");
    assertThat(hda.parent()).isEqualTo(ROOT_PORT);
  }

  @Test
  void theTwoFunctionsFormAGroupOfTheirOwn() {
    Integer group = host.device(CARD).orElseThrow().iommuGroup();
    assertThat(group).isNotNull();
    assertThat(host.device(AUDIO).orElseThrow().iommuGroup()).isEqualTo(group);
    assertThat(host.group(group).orElseThrow().members()).containsExactly(CARD, AUDIO);
    assertThat(host.device(ROOT_PORT).orElseThrow().iommuGroup()).isNotEqualTo(group);
  }

  @Test
  void theIntelIommuIsActiveWithInterruptRemapping() {
    IommuState iommu = host.iommu();
    assertThat(iommu.vendor()).isEqualTo("intel");
    assertThat(iommu.units()).containsExactly("dmar0");
    assertThat(iommu.active()).isTrue();
    assertThat(iommu.groupsPredicted()).isFalse();
    assertThat(iommu.acsOverride()).isNull();
    assertThat(host.kernel().interruptRemapping()).isTrue();
    assertThat(host.kernel().cmdline()).contains("intel_iommu=on", "iommu=pt");
  }

  @Test
  void theCardIsIsolatedAndPassableWhileL1KeepsItsOwnDisplay() {
    GpuCandidate card = GpuAnalyzer.judge(host, host.device(CARD).orElseThrow());
    assertThat(card.functions()).containsExactly(CARD, AUDIO);
    assertThat(card.groupMembers()).containsExactly(CARD, AUDIO);
    assertThat(card.isolated()).isTrue();
    assertThat(card.passable()).as("reasons: %s", card.reasons()).isTrue();
    assertThat(host.device(HOST_VGA).orElseThrow().bootVga()).isTrue();
    assertThat(GpuAnalyzer.guestCandidates(GpuAnalyzer.analyze(host)).stream().map(GpuCandidate::address))
        .contains(CARD);
  }

  @Test
  void doctorFindsInterruptRemappingOn() {
    List<Finding> findings = Doctor.examine(host).findings();
    Finding ir = findings.stream().filter(f -> f.id().equals("iommu.interrupt-remapping")).findFirst().orElseThrow();
    assertThat(ir.severity()).isEqualTo(Severity.OK);
    assertThat(findings.stream().filter(f -> f.id().equals("iommu.active")).findFirst().orElseThrow().severity())
        .isEqualTo(Severity.OK);
  }
}
