package io.vgapass.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.host.Host;
import io.vgapass.testing.TranscribedHosts;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The findings (stable ids, severities) the doctor must give for each fixture host. */
class DoctorFixturesTest {
  static final List<String> FIXTURES = TranscribedHosts.ALL;

  @TempDir static Path tmp;

  static Doctor.Report examine(String name) {
    return Doctor.examine(TranscribedHosts.read(name, tmp));
  }

  static Doctor.Report examineWith(String name, String... lines) {
    return Doctor.examine(TranscribedHosts.readWith(name, tmp, lines));
  }

  static List<String> ids(Doctor.Report r, Severity s) {
    return r.findings().stream().filter(f -> f.severity() == s).map(Finding::id).toList();
  }

  static Finding finding(Doctor.Report r, String id, String about) {
    Optional<Finding> f = r.findings().stream()
        .filter(x -> x.id().equals(id) && (about == null || x.message().contains(about))).findFirst();
    assertThat(f).as("finding %s about %s in %s", id, about, r.findings()).isPresent();
    return f.get();
  }

  @ParameterizedTest
  @FieldSource("FIXTURES")
  void everyFindingHasAStableIdEvidenceAndAFix(String name) {
    Doctor.Report r = examine(name);
    assertThat(r.findings()).isNotEmpty().allSatisfy(f -> {
      assertThat(f.id()).matches("[a-z]+(\\.[a-z0-9-]+)+");
      assertThat(f.message()).isNotBlank();
      assertThat(f.evidence()).isNotBlank();
      if (f.severity() != Severity.OK) assertThat(f.fix()).as(f.id()).isNotBlank();
    });
    // sorted worst first
    assertThat(r.findings()).extracting(Finding::severity).isSortedAccordingTo(Enum::compareTo);
  }

  @Test
  void asrockZ170IsReadyButTheGtx960RomHasNoUefiImage() {
    Doctor.Report r = examine("asrock-z170");
    assertThat(r.ready()).isTrue();
    assertThat(ids(r, Severity.ERROR)).isEmpty();
    assertThat(finding(r, "gpu.passable", "0000:01:00.0").severity()).isEqualTo(Severity.OK);
    assertThat(finding(r, "gpu.host-gpu", "0000:00:02.0").severity()).isEqualTo(Severity.OK);
    Finding rom = finding(r, "gpu.rom-uefi", "0000:01:00.0");
    assertThat(rom.severity()).isEqualTo(Severity.WARNING);
    assertThat(rom.evidence()).contains("code types [0]");
    assertThat(finding(r, "iommu.interrupt-remapping", null).severity()).isEqualTo(Severity.OK);
    assertThat(finding(r, "gpu.reset", "0000:01:00.0").severity()).isEqualTo(Severity.OK);
  }

  @Test
  void b450mMortarPolarisResetBugAndUnreadableRom() {
    Doctor.Report r = examine("msi-b450m-mortar");
    assertThat(r.ready()).isTrue();
    Finding reset = finding(r, "gpu.reset", "0000:10:00.0");
    assertThat(reset.severity()).isEqualTo(Severity.WARNING);
    assertThat(reset.evidence()).contains("no vendor_reset");
    Finding rom = finding(r, "gpu.rom-uefi", "0000:10:00.0");
    assertThat(rom.severity()).isEqualTo(Severity.INFO);
    assertThat(rom.message()).contains("unknown");
    assertThat(finding(r, "iommu.active", null).message()).contains("amd");
  }

  @Test
  void b450mMortarMaxHostCardInTheChipsetGroupAndTheRtTrapFixed() {
    Doctor.Report r = examine("msi-b450m-mortar-max");
    assertThat(r.ready()).isTrue();
    // the host's boot VGA in the chipset group stays with the host: its group is told, not a fault (issue 19)
    Finding host = finding(r, "gpu.host-gpu", "0000:25:00.0");
    assertThat(host.severity()).isEqualTo(Severity.OK);
    assertThat(host.evidence()).contains("0000:03:00.0", "0000:03:00.1", "0000:22:00.0");
    assertThat(ids(r, Severity.WARNING)).doesNotContain("gpu.shared-group");
    assertThat(finding(r, "gpu.passable", "0000:26:00.0").severity()).isEqualTo(Severity.OK);
    Finding rt = finding(r, "cgroup.rt-trap", null);
    assertThat(rt.severity()).isEqualTo(Severity.OK);
    assertThat(rt.evidence()).contains("cgroup v1", "present");
    assertThat(ids(r, Severity.WARNING)).contains("selinux.sound");
  }

  @Test
  void theRtTrapWhenQemuConfLeavesCpuInLibvirtsCgroups() {
    Doctor.Report r = examineWith("msi-b450m-mortar-max",
        "file etc/libvirt/qemu.conf", "#cgroup_controllers = [ \"cpu\", \"devices\" ]", "end");
    Finding rt = finding(r, "cgroup.rt-trap", null);
    assertThat(rt.severity()).isEqualTo(Severity.WARNING);
    assertThat(rt.fix()).contains("cgroup_controllers");
  }

  @Test
  void b550mMortarPassesTheFourFunctionCardAndKeepsTheGt710AsTheHostDisplay() {
    Doctor.Report r = examine("msi-mag-b550m-mortar");
    assertThat(r.ready()).isTrue();
    assertThat(finding(r, "gpu.passable", "0000:2b:00.0").message()).contains("4 functions");
    assertThat(finding(r, "gpu.host-gpu", "0000:04:00.0").severity()).isEqualTo(Severity.OK);
    assertThat(ids(r, Severity.WARNING)).isEmpty();
  }

  @Test
  void acsOverrideIsAWarningAndOnlyTheReallyIsolatedGpuIsPassable() {
    Doctor.Report r = examine("msi-mag-b550m-mortar-acso");
    assertThat(r.ready()).isTrue();
    Finding acs = finding(r, "iommu.acs-override", null);
    assertThat(acs.severity()).isEqualTo(Severity.WARNING);
    assertThat(acs.evidence()).contains("pcie_acs_override=downstream,multifunction");
    assertThat(finding(r, "gpu.passable", "0000:2b:00.0").severity()).isEqualTo(Severity.OK);
    // the GT 710 is the host's display: the override's fake isolation matters for the card that leaves, not for it
    assertThat(finding(r, "gpu.host-gpu", "0000:04:00.0").severity()).isEqualTo(Severity.OK);
  }

  @Test
  void gigabyteX570ReadyWithTheRtx3080() {
    Doctor.Report r = examine("gigabyte-x570");
    assertThat(r.ready()).isTrue();
    assertThat(finding(r, "gpu.host-gpu", "0000:0c:00.0").severity()).isEqualTo(Severity.OK);
    assertThat(finding(r, "gpu.reset", "0000:0d:00.0").severity()).isEqualTo(Severity.INFO);
    // the host's RX 5700 is not checked for the reset bug: it never goes to the VM
    assertThat(r.findings()).noneMatch(f -> f.id().equals("gpu.reset") && f.message().contains("0000:0c:00.0"));
  }

  /** The same machine with the roles swapped: the RX 5700 (Navi 10) for the guest. */
  private static final String[] NAVI_FOR_THE_GUEST = {
      "pci 0000:0c:00.0 1002:731f class=030000 rev=c4 driver=vfio-pci parent=0000:0b:00.0 boot_vga=0 group=30",
      "pci 0000:0d:00.0 10de:2206 class=030000 rev=a1 driver=nvidia boot_vga=1 rom=uefi group=32"};

  @Test
  void navi10ForTheGuestWarnsAboutTheResetBugWithoutVendorReset() {
    Doctor.Report r = examineWith("gigabyte-x570", NAVI_FOR_THE_GUEST);
    assertThat(io.vgapass.host.GpuAnalyzer.guestCandidates(r.gpus()))
        .extracting(g -> g.address().toString()).containsExactly("0000:0c:00.0");
    Finding reset = finding(r, "gpu.reset", "0000:0c:00.0");
    assertThat(reset.severity()).isEqualTo(Severity.WARNING);
    assertThat(reset.message()).contains("1002:731f", "reset bug");
    assertThat(reset.fix()).contains("vendor-reset");
  }

  @Test
  void navi10WithVendorResetLoadedIsOk() {
    String[] lines = java.util.stream.Stream.concat(java.util.Arrays.stream(NAVI_FOR_THE_GUEST),
        java.util.stream.Stream.of("modules vendor_reset kvm_amd kvm ccp amdgpu nvidia snd_hda_intel"))
        .toArray(String[]::new);
    Doctor.Report r = examineWith("gigabyte-x570", lines);
    Finding reset = finding(r, "gpu.reset", "0000:0c:00.0");
    assertThat(reset.severity()).isEqualTo(Severity.OK);
    assertThat(reset.evidence()).contains("proc/modules: vendor_reset");
  }

  @Test
  void twoGpusInOneGroupAndNoInterruptRemapping() {
    Doctor.Report r = examine("skylake-two-gpus-one-group");
    assertThat(r.ready()).isFalse();
    assertThat(finding(r, "iommu.interrupt-remapping", null).severity()).isEqualTo(Severity.ERROR);
    assertThat(finding(r, "gpu.shared-group", "0000:0d:00.0").message()).contains("0000:0c:00.0");
    assertThat(finding(r, "gpu.shared-group", "0000:0c:00.0").severity()).isEqualTo(Severity.WARNING);
  }

  @Test
  void b560TheOnlyDisplay() {
    Doctor.Report r = examine("b560-single-gpu");
    assertThat(r.ready()).isFalse();
    assertThat(ids(r, Severity.ERROR)).containsExactly("gpu.host-display");
    assertThat(finding(r, "gpu.only-display", "0000:03:00.0").severity()).isEqualTo(Severity.WARNING);
    assertThat(finding(r, "virt.ovmf", null).evidence()).contains("usr/share/qemu/firmware/60-edk2-x86_64.json");
  }

  @Test
  void asusF2a85IommuOffOnAnAmdHost() {
    Doctor.Report r = examine("asus-f2a85-iommu-off");
    assertThat(ids(r, Severity.ERROR)).containsExactlyInAnyOrder("iommu.inactive", "virt.ovmf");
    Finding off = finding(r, "iommu.inactive", null);
    assertThat(off.message()).contains("firmware");
    assertThat(off.fix()).contains("IOMMU/AMD-Vi").doesNotContain("intel_iommu")
        .contains("already has iommu=pt").doesNotContain("host apply"); // the board's firmware is the whole fix
    assertThat(finding(r, "gpu.pending-iommu", "0000:01:00.0").severity()).isEqualTo(Severity.INFO);
    assertThat(ids(r, Severity.WARNING)).doesNotContain("iommu.interrupt-remapping");
  }

  @Test
  void lakefieldWithoutTheVirtualizationStack() {
    Doctor.Report r = examine("lakefield-hybrid");
    assertThat(ids(r, Severity.ERROR))
        .contains("iommu.inactive", "virt.libvirt", "virt.qemu", "virt.ovmf", "gpu.host-display");
    assertThat(finding(r, "virt.libvirt", null).fix()).contains("apt install");
    assertThat(finding(r, "iommu.inactive", null).fix()).contains("intel_iommu=on", "update-grub");
    assertThat(finding(r, "gpu.only-display", "0000:00:02.0").severity()).isEqualTo(Severity.WARNING);
  }

  @Test
  void alderLakeIsReady() {
    Doctor.Report r = examine("alderlake-hybrid");
    assertThat(r.ready()).isTrue();
    assertThat(ids(r, Severity.ERROR)).isEmpty();
    assertThat(finding(r, "iommu.active", null).message()).contains("intel");
  }

  @Test
  void dualOpteronServerKeepsItsOnlyDisplay() {
    Doctor.Report r = examine("dual-opteron-6328-numa");
    assertThat(ids(r, Severity.ERROR)).contains("gpu.host-display", "virt.libvirt");
    assertThat(finding(r, "iommu.active", null).severity()).isEqualTo(Severity.OK);
  }

  @Test
  void noInterruptRemappingIsAnErrorBecauseVfioRefusesTheCard() {
    Host h = TranscribedHosts.readWith("asrock-z170", tmp, "iommu intel remap=no");
    Doctor.Report r = Doctor.examine(h);
    Finding ir = finding(r, "iommu.interrupt-remapping", null);
    assertThat(ir.severity()).isEqualTo(Severity.ERROR);
    assertThat(ir.fix()).contains("allow_unsafe_interrupts");
    assertThat(r.ready()).as("doctor must not call a card ready that VFIO will refuse").isFalse();
  }

  @Test
  void allowUnsafeInterruptsMakesItAWarning() {
    Host h = TranscribedHosts.readWith("asrock-z170", tmp, "iommu intel remap=no",
        "file etc/modprobe.d/vfio.conf", "options vfio_iommu_type1 allow_unsafe_interrupts=1", "end");
    Finding ir = finding(Doctor.examine(h), "iommu.interrupt-remapping", null);
    assertThat(ir.severity()).isEqualTo(Severity.WARNING);
    assertThat(ir.evidence()).contains("allow_unsafe_interrupts=1");
  }

  @Test
  void anAmdHostWithSvmOffInTheFirmwareIsToldKvmAmd(@TempDir Path dir) throws Exception {
    String text = TranscribedHosts.text("msi-b450m-mortar").replace(" svm ", " ").replace("touch dev/kvm ", "touch ");
    Path root = io.vgapass.host.sketch.SketchWriter.write(io.vgapass.host.sketch.HostSketch.parse("svm-off.host", text),
        dir);
    Doctor.Report r = Doctor.examine(io.vgapass.host.HostReader.read(new io.vgapass.host.SysRoot(root)));
    assertThat(finding(r, "kvm.device", null).fix()).contains("modprobe kvm_amd").doesNotContain("kvm_intel");
  }
}
