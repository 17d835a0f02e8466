package io.vgapass.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.testing.TranscribedHosts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** What a correct reading of each fixture host concludes: GPU verdicts, groups, CPU topology. */
class FixtureHostsTest {
  static final List<String> FIXTURES = TranscribedHosts.ALL;

  @TempDir static Path tmp;

  static PciAddress a(String s) {
    return PciAddress.parse(s);
  }

  static List<PciAddress> as(String... s) {
    return java.util.Arrays.stream(s).map(PciAddress::parse).toList();
  }

  static GpuCandidate gpu(Host h, String address) {
    return GpuAnalyzer.judge(h, h.device(a(address)).orElseThrow());
  }

  static List<PciAddress> guests(Host h) {
    return GpuAnalyzer.guestCandidates(GpuAnalyzer.analyze(h)).stream().map(GpuCandidate::address).toList();
  }

  static List<PciAddress> members(Host h, int group) {
    return h.group(group).orElseThrow().members();
  }

  // --- every fixture ----------------------------------------------------------------------

  @ParameterizedTest
  @FieldSource("FIXTURES")
  void startsWithItsSourceAndTheSourceExists(String name) {
    String first = TranscribedHosts.text(name).lines().filter(l -> !l.isBlank()).findFirst().orElseThrow();
    assertThat(first).startsWith("source ");
    Path ref = TranscribedHosts.reference();
    if (ref != null) {
      String path = first.substring("source ".length()).split("\\s+")[0];
      assertThat(ref.resolve(path)).as("the source of %s", name).exists();
    }
  }

  @ParameterizedTest
  @FieldSource("FIXTURES")
  void readsConsistently(String name) {
    Host h = TranscribedHosts.read(name, tmp);
    Set<PciAddress> devices = h.pciDevices().stream().map(PciDevice::address).collect(Collectors.toSet());
    assertThat(h.gpus()).isNotEmpty();
    for (IommuGroup g : h.iommuGroups()) assertThat(devices).containsAll(g.members());
    for (PciDevice d : h.pciDevices()) {
      if (d.iommuGroup() != null) assertThat(members(h, d.iommuGroup())).contains(d.address());
    }
    assertThat(h.cpu().cpus()).extracting(Cpu::id).doesNotHaveDuplicates();
    for (Cpu c : h.cpu().cpus()) assertThat(h.cpu().siblingsOf(c.id())).contains(c.id());
    assertThat(h.kernel().release()).isNotEqualTo("unknown");
    assertThat(h.distro()).isNotEqualTo(Distro.UNKNOWN);
    assertThat(h.memory().totalKiB()).isPositive();
  }

  // --- the listings -----------------------------------------------------------------------

  @Test
  void asrockZ170GtxIsolatedWithItsRootPortAndTheIgpuDrivesTheHost() {
    Host h = TranscribedHosts.read("asrock-z170", tmp);
    GpuCandidate gtx = gpu(h, "01:00.0");
    assertThat(gtx.ids()).isEqualTo("10de:1401");
    assertThat(gtx.functions()).isEqualTo(as("01:00.0", "01:00.1"));
    assertThat(gtx.groups()).containsExactly(1);
    assertThat(gtx.groupMembers()).isEqualTo(as("00:01.0", "01:00.0", "01:00.1"));
    assertThat(gtx.isolated()).isTrue();
    assertThat(gtx.passable()).isTrue();
    assertThat(gtx.reasons()).isEmpty();
    assertThat(gtx.bootVga()).isFalse();
    GpuCandidate igpu = gpu(h, "00:02.0");
    assertThat(igpu.bootVga()).isTrue();
    assertThat(igpu.groups()).containsExactly(2);
    assertThat(guests(h)).isEqualTo(as("01:00.0"));
    assertThat(h.iommu().active()).isTrue();
    assertThat(h.iommu().vendor()).isEqualTo("intel");
    assertThat(h.iommuGroups()).hasSize(14);
    assertThat(members(h, 10)).isEqualTo(as("00:1f.0", "00:1f.2", "00:1f.3", "00:1f.4"));
    // i7-6700K: 4 cores, 8 threads, Intel numbering
    CpuTopology t = h.cpu();
    assertThat(t.cpus()).hasSize(8);
    assertThat(t.threadsPerCore()).isEqualTo(2);
    assertThat(t.siblingsOf(0)).containsExactly(0, 4);
    assertThat(t.siblingsOf(5)).containsExactly(1, 5);
    assertThat(t.l3Domains()).containsExactly(0);
    assertThat(t.hybrid()).isFalse();
    assertThat(h.boot().bootloader()).isEqualTo(Boot.Bootloader.SYSTEMD_BOOT);
    assertThat(h.boot().initramfs()).isEqualTo(Boot.Initramfs.MKINITCPIO);
    assertThat(h.kernel().cgroupVersion()).isEqualTo(2);
  }

  @Test
  void b450mMortarRx580AloneWithoutItsAudioFunction() {
    Host h = TranscribedHosts.read("msi-b450m-mortar", tmp);
    GpuCandidate rx = gpu(h, "10:00.0");
    assertThat(rx.ids()).isEqualTo("1002:67df");
    assertThat(rx.functions()).isEqualTo(as("10:00.0"));
    assertThat(h.device(a("10:00.1"))).isEmpty();
    assertThat(rx.groups()).containsExactly(8);
    assertThat(rx.groupMembers()).isEqualTo(as("10:00.0"));
    assertThat(rx.isolated()).isTrue();
    assertThat(rx.passable()).isTrue();
    assertThat(rx.notes()).anyMatch(n -> n.contains("no companion function (HDMI audio)"));
    assertThat(h.device(a("10:00.0")).orElseThrow().rom().readable()).isFalse();
    // the APU's Vega: six functions on one slot over groups 11 and 12; five are the card's (display, audio, USB),
    // the sixth, 38:00.2, is the SoC's crypto coprocessor (ccp, class 0x108000), which the card's group drags along
    GpuCandidate vega = gpu(h, "38:00.0");
    assertThat(vega.functions()).isEqualTo(as("38:00.0", "38:00.1", "38:00.3", "38:00.4", "38:00.6"));
    assertThat(vega.groups()).containsExactly(11, 12);
    assertThat(vega.isolated()).isFalse();
    assertThat(vega.reasons()).anyMatch(r -> r.contains("0000:38:00.2 (encryption 1022:15df)"));
    assertThat(vega.bootVga()).isTrue();
    assertThat(guests(h)).isEqualTo(as("10:00.0"));
    assertThat(h.iommu().vendor()).isEqualTo("amd");
    assertThat(members(h, 9)).hasSize(7).contains(a("18:00.0"));
    assertThat(h.cpu().siblingsOf(0)).containsExactly(0, 4);
    assertThat(h.kernel().cgroupVersion()).isEqualTo(1);
    assertThat(h.kernel().rtGroupScheduling()).isFalse();
  }

  @Test
  void b450mMortarMaxHostCardSharesItsGroupWithTheChipset() {
    Host h = TranscribedHosts.read("msi-b450m-mortar-max", tmp);
    GpuCandidate hd = gpu(h, "25:00.0");
    assertThat(hd.functions()).isEqualTo(as("25:00.0", "25:00.1"));
    assertThat(hd.groups()).containsExactly(11);
    assertThat(hd.groupMembers()).hasSize(9);
    assertThat(hd.isolated()).isFalse();
    assertThat(hd.passable()).isFalse();
    assertThat(hd.plannable()).isFalse();
    assertThat(hd.reasons()).hasSize(1);
    assertThat(hd.reasons().get(0))
        .contains("0000:03:00.0 (USB 1022:43d5)", "0000:03:00.1 (SATA 1022:43c8)", "0000:22:00.0 (network 10ec:8168)")
        .doesNotContain("0000:03:00.2", "0000:20:00.0", "0000:20:01.0", "0000:20:04.0", "0000:25:00.1");
    GpuCandidate gtx = gpu(h, "26:00.0");
    assertThat(gtx.groups()).containsExactly(12);
    assertThat(gtx.groupMembers()).isEqualTo(as("26:00.0", "26:00.1"));
    assertThat(gtx.passable()).isTrue();
    assertThat(guests(h)).isEqualTo(as("26:00.0"));
    // Ryzen 5 3600: two CCX of three cores
    CpuTopology t = h.cpu();
    assertThat(t.cpus()).hasSize(12);
    assertThat(t.siblingsOf(0)).containsExactly(0, 6);
    assertThat(t.l3Domains()).containsExactly(0, 3);
    assertThat(t.cpu(9).l3()).isEqualTo(3);
    assertThat(t.cpu(8).l3()).isEqualTo(0);
    // Fedora 30: cgroup v1 with RT group scheduling, cpu left out of libvirt's cgroups
    assertThat(h.kernel().cgroupVersion()).isEqualTo(1);
    assertThat(h.kernel().rtGroupScheduling()).isTrue();
    assertThat(h.virt().qemuConfCgroupControllers()).doesNotContain("cpu").contains("cpuset");
    assertThat(h.boot().grubby()).isTrue();
    assertThat(h.boot().initramfs()).isEqualTo(Boot.Initramfs.DRACUT);
    assertThat(h.security().selinux()).isEqualTo(Security.SelinuxMode.ENFORCING);
  }

  @Test
  void b550mMortarFourFunctionCardGoesTogether() {
    Host h = TranscribedHosts.read("msi-mag-b550m-mortar", tmp);
    GpuCandidate rtx = gpu(h, "2b:00.0");
    assertThat(rtx.ids()).isEqualTo("10de:1e84");
    assertThat(rtx.functions()).isEqualTo(as("2b:00.0", "2b:00.1", "2b:00.2", "2b:00.3"));
    assertThat(rtx.groups()).containsExactly(14);
    assertThat(rtx.groupMembers()).isEqualTo(rtx.functions());
    assertThat(rtx.isolated()).isTrue();
    assertThat(rtx.passable()).isTrue();
    assertThat(h.device(a("2b:00.3")).orElseThrow().kind()).isEqualTo("serial bus");
    GpuCandidate gt = gpu(h, "04:00.0");
    assertThat(gt.isolated()).isFalse();
    assertThat(gt.reasons().get(0))
        .contains("0000:02:00.0 (USB 1022:43ee)", "0000:02:00.1 (SATA 1022:43eb)", "0000:2a:00.0 (network 10ec:8125)")
        .doesNotContain("0000:02:00.2", "0000:03:00.0", "0000:03:09.0");
    assertThat(guests(h)).isEqualTo(as("2b:00.0"));
    assertThat(h.cpu().siblingsOf(3)).containsExactly(3, 11);
    assertThat(h.cpu().l3Domains()).containsExactly(0, 4);
    assertThat(h.distro().is("arch")).isTrue();
    assertThat(h.boot().bootloader()).isEqualTo(Boot.Bootloader.GRUB);
    assertThat(h.boot().initramfs()).isEqualTo(Boot.Initramfs.MKINITCPIO);
  }

  @Test
  void acsOverrideSplitsTheGroupsButOnlyRealIsolationCounts() {
    Host base = TranscribedHosts.read("msi-mag-b550m-mortar", tmp);
    Host h = TranscribedHosts.read("msi-mag-b550m-mortar-acso", tmp);
    assertThat(h.iommu().acsOverride()).isEqualTo("downstream,multifunction");
    assertThat(members(base, 13)).hasSize(8);
    assertThat(h.iommuGroups()).allSatisfy(g -> assertThat(g.members()).hasSize(1));
    assertThat(h.pciDevices()).extracting(PciDevice::address)
        .isEqualTo(base.pciDevices().stream().map(PciDevice::address).toList());
    GpuCandidate gt = gpu(h, "04:00.0");
    assertThat(gt.groups()).containsExactly(26, 27);
    assertThat(gt.isolated()).isTrue();
    assertThat(gt.passable()).isFalse();
    assertThat(gt.plannable()).isFalse();
    assertThat(gt.reasons()).anyMatch(r -> r.contains("pcie_acs_override=downstream,multifunction"));
    GpuCandidate rtx = gpu(h, "2b:00.0");
    assertThat(rtx.groups()).containsExactly(29, 30, 31, 32);
    assertThat(rtx.isolated()).isTrue();
    // its root port's subtree holds only the card: alone without the override too (the plain
    // listing shows group 14 = its four functions), so the override does not make it passable
    assertThat(rtx.passable()).isTrue();
    assertThat(rtx.notes()).anyMatch(n -> n.contains("would stand alone without it too"));
    assertThat(guests(h)).containsExactly(PciAddress.parse("0000:2b:00.0"));
    assertThat(h.boot().bootloader()).isEqualTo(Boot.Bootloader.SYSTEMD_BOOT);
  }

  @Test
  void gigabyteX570Rx5700VideoAndAudioInSeparateGroups() {
    Host h = TranscribedHosts.read("gigabyte-x570", tmp);
    GpuCandidate navi = gpu(h, "0c:00.0");
    assertThat(navi.ids()).isEqualTo("1002:731f");
    assertThat(navi.functions()).isEqualTo(as("0c:00.0", "0c:00.1"));
    assertThat(navi.groups()).containsExactly(30, 31);
    assertThat(members(h, 30)).isEqualTo(as("0c:00.0"));
    assertThat(members(h, 31)).isEqualTo(as("0c:00.1"));
    assertThat(navi.groupMembers()).isEqualTo(navi.functions());
    assertThat(navi.isolated()).isTrue();
    assertThat(navi.plannable()).isTrue();
    assertThat(navi.bootVga()).isTrue();
    assertThat(navi.notes()).anyMatch(n -> n.contains("groups 30, 31"));
    GpuCandidate rtx = gpu(h, "0d:00.0");
    assertThat(rtx.ids()).isEqualTo("10de:2206");
    assertThat(rtx.groups()).containsExactly(32);
    assertThat(rtx.passable()).isTrue();
    assertThat(guests(h)).isEqualTo(as("0d:00.0"));
    // Ryzen 9 3900X: 12 cores, 24 threads, four CCX; kvm.conf's host CPUs 0-5,12-17 are whole cores
    CpuTopology t = h.cpu();
    assertThat(t.cpus()).hasSize(24);
    assertThat(t.coreCount()).isEqualTo(12);
    assertThat(t.siblingsOf(0)).containsExactly(0, 12);
    assertThat(t.siblingsOf(18)).containsExactly(6, 18);
    assertThat(t.l3Domains()).containsExactly(0, 3, 6, 9);
    assertThat(t.cpu(14).l3()).isEqualTo(0);
    assertThat(t.cpu(21).l3()).isEqualTo(9);
    assertThat(h.boot().bootloader()).isEqualTo(Boot.Bootloader.KERNELSTUB);
    assertThat(h.distro().is("ubuntu")).isTrue();
  }

  @Test
  void twoGpusInOneGroupNeitherCanGoAlone() {
    Host h = TranscribedHosts.read("skylake-two-gpus-one-group", tmp);
    assertThat(members(h, 30)).isEqualTo(as("0c:00.0", "0d:00.0", "0d:00.1"));
    assertThat(members(h, 1)).isEqualTo(as("00:01.0", "00:01.1"));
    GpuCandidate rtx = gpu(h, "0d:00.0");
    assertThat(rtx.isolated()).isFalse();
    assertThat(rtx.reasons().get(0)).contains("0000:0c:00.0 (VGA 1002:731f)");
    GpuCandidate navi = gpu(h, "0c:00.0");
    assertThat(navi.groups()).containsExactly(30, 31);
    assertThat(navi.isolated()).isFalse();
    assertThat(navi.reasons().get(0)).contains("0000:0d:00.0 (VGA 10de:2206)", "0000:0d:00.1 (audio 10de:1aef)");
    assertThat(rtx.plannable()).isFalse();
    assertThat(navi.plannable()).isFalse();
    assertThat(guests(h)).isEmpty();
    assertThat(h.kernel().interruptRemapping()).isFalse();
  }

  @Test
  void b560TheOnlyGpuCannotLeaveTheHost() {
    Host h = TranscribedHosts.read("b560-single-gpu", tmp);
    assertThat(h.gpus()).hasSize(1);
    GpuCandidate rx = gpu(h, "03:00.0");
    assertThat(rx.ids()).isEqualTo("1002:7480");
    assertThat(rx.functions()).isEqualTo(as("03:00.0", "03:00.1"));
    assertThat(rx.groups()).containsExactly(12, 13);
    assertThat(members(h, 12)).isEqualTo(as("03:00.0"));
    assertThat(members(h, 13)).isEqualTo(as("03:00.1"));
    assertThat(rx.isolated()).isTrue();
    assertThat(rx.bootVga()).isTrue();
    assertThat(rx.passable()).isFalse();
    assertThat(rx.plannable()).isFalse();
    assertThat(rx.reasons()).anyMatch(r -> r.contains("the only GPU"));
    assertThat(guests(h)).isEmpty();
    // behind the card's own switch: 00:01.0 -> 01:00.0 -> 02:00.0 -> 03:00.x
    assertThat(h.device(a("03:00.0")).orElseThrow().parent()).isEqualTo(a("02:00.0"));
    assertThat(h.device(a("02:00.0")).orElseThrow().parent()).isEqualTo(a("01:00.0"));
    assertThat(h.device(a("01:00.0")).orElseThrow().parent()).isEqualTo(a("00:01.0"));
    assertThat(h.device(a("03:00.0")).orElseThrow().resetMethods()).containsExactly("bus");
    assertThat(h.device(a("03:00.1")).orElseThrow().resetMethods()).isNull();
    assertThat(h.cpu().siblingsOf(0)).containsExactly(0, 6);
  }

  @Test
  void asusF2a85WithTheIommuOffPredictsTheListingsGroup() {
    Host off = TranscribedHosts.read("asus-f2a85-iommu-off", tmp);
    assertThat(off.iommu().active()).isFalse();
    assertThat(off.iommu().groupsPredicted()).isTrue();
    assertThat(off.iommu().vendor()).isEqualTo("none");
    GpuCandidate r7 = gpu(off, "01:00.0");
    assertThat(r7.ids()).isEqualTo("1002:6658");
    assertThat(r7.groupMembers()).isEqualTo(as("00:02.0", "01:00.0", "01:00.1"));
    assertThat(r7.isolated()).isTrue();
    assertThat(r7.plannable()).isTrue();
    assertThat(r7.passable()).isFalse();
    assertThat(r7.reasons()).anyMatch(r -> r.contains("IOMMU is off"));
    assertThat(guests(off)).isEqualTo(as("01:00.0"));
    assertThat(off.device(a("01:00.0")).orElseThrow().driver()).isEqualTo("pci-stub");

    // the listing, taken with the IOMMU on: the prediction matches the GPU's group, and every
    // predicted group holds at least the real one (predictions are never finer than the kernel)
    Host on = TranscribedHosts.readWith("asus-f2a85-iommu-off", tmp, "iommu amd");
    assertThat(on.iommu().active()).isTrue();
    assertThat(members(on, 2)).isEqualTo(as("00:02.0", "01:00.0", "01:00.1"));
    assertThat(members(on, 9)).isEqualTo(as("00:15.0", "00:15.1", "00:15.2", "04:00.0", "05:00.0"));
    assertThat(gpu(on, "01:00.0").groupMembers()).isEqualTo(r7.groupMembers());
    for (PciDevice d : on.pciDevices()) {
      assertThat(members(off, off.device(d.address()).orElseThrow().iommuGroup()))
          .as("predicted group of %s", d.address()).containsAll(members(on, d.iommuGroup()));
    }
    // A10-5800K: two compute units, reported as thread siblings; no L3
    CpuTopology t = off.cpu();
    assertThat(t.cpus()).hasSize(4);
    assertThat(t.siblingsOf(0)).containsExactly(0, 1);
    assertThat(t.siblingsOf(3)).containsExactly(2, 3);
    assertThat(t.l3Domains()).containsExactly(-1);
    assertThat(t.hasSvm()).isTrue();
  }

  // --- the CPU captures -------------------------------------------------------------------

  @Test
  void lakefieldOnePerformanceCoreAndFourEfficientOnes() {
    Host h = TranscribedHosts.read("lakefield-hybrid", tmp);
    CpuTopology t = h.cpu();
    assertThat(t.hybrid()).isTrue();
    assertThat(t.cpu(4).type()).isEqualTo(CoreType.PERFORMANCE);
    assertThat(t.cpus()).filteredOn(c -> c.type() == CoreType.EFFICIENT).extracting(Cpu::id)
        .containsExactly(0, 1, 2, 3);
    assertThat(t.threadsPerCore()).isEqualTo(1);
    assertThat(t.coreCount()).isEqualTo(5);
    assertThat(t.l3Domains()).containsExactly(0);
    assertThat(Files.exists(TranscribedHosts.host("lakefield-hybrid", tmp.resolve("again"))
        .resolve("sys/devices/cpu_atom"))).isFalse();
    assertThat(h.memory().totalKiB()).isEqualTo(3857124L);
    assertThat(h.memory().availableKiB()).isEqualTo(2313148L);
    GpuCandidate igpu = gpu(h, "00:02.0");
    assertThat(igpu.plannable()).isFalse();
    assertThat(igpu.reasons()).anyMatch(r -> r.contains("the only GPU")).anyMatch(r -> r.contains("IOMMU is off"));
    assertThat(h.virt().libvirtDaemon()).isNull();
    assertThat(h.virt().qemu()).isNull();
    assertThat(h.virt().firmware()).isEmpty();
  }

  @Test
  void alderLakePCoresWithSmtAndECoresWithout() {
    Host h = TranscribedHosts.read("alderlake-hybrid", tmp);
    CpuTopology t = h.cpu();
    assertThat(t.cpus()).hasSize(24);
    assertThat(t.hybrid()).isTrue();
    assertThat(t.cpus()).filteredOn(c -> c.type() == CoreType.PERFORMANCE).extracting(Cpu::id)
        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 16).boxed().toList());
    assertThat(t.cpus()).filteredOn(c -> c.type() == CoreType.EFFICIENT).extracting(Cpu::id)
        .containsExactly(16, 17, 18, 19, 20, 21, 22, 23);
    assertThat(t.threadsPerCore()).isEqualTo(2);
    assertThat(t.coreCount()).isEqualTo(16);
    assertThat(t.siblingsOf(0)).containsExactly(0, 1);
    assertThat(t.siblingsOf(15)).containsExactly(14, 15);
    assertThat(t.siblingsOf(16)).containsExactly(16);
    assertThat(t.l3Domains()).containsExactly(0);
    assertThat(guests(h)).isEqualTo(as("01:00.0"));
  }

  @Test
  void dualOpteronTwoSocketsFourNodes() {
    Host h = TranscribedHosts.read("dual-opteron-6328-numa", tmp);
    CpuTopology t = h.cpu();
    assertThat(t.cpus()).hasSize(16);
    assertThat(t.packageCount()).isEqualTo(2);
    assertThat(t.nodes()).containsExactly(0, 1, 2, 3);
    Map<Integer, List<Integer>> byNode = t.cpus().stream()
        .collect(Collectors.groupingBy(Cpu::node, java.util.TreeMap::new, Collectors.mapping(Cpu::id, Collectors.toList())));
    assertThat(byNode).containsEntry(0, List.of(0, 1, 2, 3)).containsEntry(1, List.of(4, 5, 6, 7))
        .containsEntry(2, List.of(8, 9, 10, 11)).containsEntry(3, List.of(12, 13, 14, 15));
    assertThat(t.cpus()).filteredOn(c -> c.packageId() == 1).extracting(Cpu::node).containsOnly(2, 3);
    // adjacent siblings (0,1 / 2,3), unlike the Intel and Ryzen hosts (0,4 / 0,6 / 0,12)
    assertThat(t.siblingsOf(4)).containsExactly(4, 5);
    assertThat(t.siblingsOf(15)).containsExactly(14, 15);
    assertThat(t.threadsPerCore()).isEqualTo(2);
    assertThat(t.coreCount()).isEqualTo(8);
    assertThat(t.l3Domains()).containsExactly(0, 4, 8, 12);
    assertThat(t.cpu(7).l3()).isEqualTo(4);
    assertThat(h.memory().hugePages()).extracting(HugePagePool::node).contains(0, 1, 2, 3);
    Set<Integer> poolNodes = new TreeSet<>();
    h.memory().hugePages().stream().filter(p -> p.node() != null).forEach(p -> poolNodes.add(p.node()));
    assertThat(poolNodes).containsExactly(0, 1, 2, 3);
    assertThat(h.device(a("01:04.0")).orElseThrow().numaNode()).isZero();
    assertThat(h.boot().bootloader()).isEqualTo(Boot.Bootloader.SYSTEMD_BOOT);
  }
}
