package io.vgapass.plan;

import static io.vgapass.plan.Intents.intent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vgapass.host.Host;
import io.vgapass.host.PciAddress;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Planner#plan}: GPU choice, defaults, compromises and refusals, on the fixture hosts of {@link TestHosts}. */
class PlannerTest {
  private static final long GIB = 1024L * 1024;

  @Nested
  class GpuChoice {
    @Test
    void picksTheOnlyQualifyingCardAndSaysSo() {
      Plan p = TestHosts.plan(TestHosts.REFERENCE);
      assertThat(p.gpu().address()).isEqualTo(PciAddress.parse("0000:01:00.0"));
      assertThat(p.hostdevs()).containsExactly(PciAddress.parse("0000:01:00.0"), PciAddress.parse("0000:01:00.1"));
      assertThat(p.notes()).anyMatch(n -> n.startsWith("picked GPU 0000:01:00.0") && n.contains("--gpu"));
    }

    @Test
    void aNamedCardIsTakenWithoutANote() {
      Plan p = intent().gpu("0000:01:00.0").on(TestHosts.REFERENCE);
      assertThat(p.gpu().address()).isEqualTo(PciAddress.parse("0000:01:00.0"));
      assertThat(p.notes()).noneMatch(n -> n.startsWith("picked GPU"));
    }

    @Test
    void namingAnyFunctionOfTheCardTakesTheWholeSlot() {
      Plan p = intent().gpu("0000:01:00.1").on(TestHosts.GIG_PAGES);
      assertThat(p.gpu().address()).isEqualTo(PciAddress.parse("0000:01:00.0"));
      assertThat(p.hostdevs()).extracting(PciAddress::toString)
          .containsExactly("0000:01:00.0", "0000:01:00.1", "0000:01:00.2", "0000:01:00.3");
    }

    @Test
    void refusesACardInASharedGroupNamingTheStrangers() {
      assertThatThrownBy(() -> intent().gpu("0000:04:00.0").on(TestHosts.SHARED_GROUP))
          .isInstanceOf(PlanRefused.class)
          .hasMessageStartingWith("--gpu 0000:04:00.0 cannot be passed")
          .hasMessageContaining("12")
          .hasMessageContaining("0000:03:00.0")
          .hasMessageContaining("0000:00:17.0");
    }

    @Test
    void refusesTheOnlyDisplay() {
      assertThatThrownBy(() -> TestHosts.plan(TestHosts.ONLY_DISPLAY))
          .isInstanceOf(PlanRefused.class)
          .hasMessageContaining("0000:0b:00.0")
          .hasMessageContaining("the only GPU");
      assertThatThrownBy(() -> intent().gpu("0000:0b:00.0").on(TestHosts.ONLY_DISPLAY))
          .isInstanceOf(PlanRefused.class)
          .hasMessageStartingWith("--gpu 0000:0b:00.0 cannot be passed")
          .hasMessageContaining("the host would lose its display");
    }

    @Test
    void doesNotPickTheHostsDisplayOnItsOwn() {
      // the discrete card cannot go (shared group), the iGPU can, but it drives the host's display:
      // taking it silently would leave the host blind, so the user must name it
      assertThatThrownBy(() -> TestHosts.plan(TestHosts.SHARED_GROUP))
          .isInstanceOf(PlanRefused.class)
          .hasMessageContaining("0000:00:02.0")
          .hasMessageContaining("--gpu 0000:00:02.0")
          .hasMessageContaining("0000:04:00.0");
      Plan asked = intent().gpu("0000:00:02.0").on(TestHosts.SHARED_GROUP);
      assertThat(asked.gpu().address()).isEqualTo(PciAddress.parse("0000:00:02.0"));
    }

    @Test
    void namingTheHostsDisplayIsPlannedWithAWarningNote() {
      Plan p = intent().gpu("0000:00:02.0").on(TestHosts.REFERENCE);
      assertThat(p.notes()).anySatisfy(n -> assertThat(n).contains("0000:00:02.0 is the boot VGA")
          .contains("drives the host's display"));
      assertThat(intent().gpu("0000:01:00.0").on(TestHosts.REFERENCE).notes()).noneMatch(n -> n.contains("boot VGA"));
    }

    @Test
    void refusesAnUnknownAddressListingTheGpus() {
      assertThatThrownBy(() -> intent().gpu("0000:05:00.0").on(TestHosts.REFERENCE))
          .isInstanceOf(PlanRefused.class)
          .hasMessageStartingWith("--gpu 0000:05:00.0: no display device there")
          .hasMessageContaining("0000:00:02.0")
          .hasMessageContaining("0000:01:00.0");
    }

    @Test
    void asksWhichWhenSeveralCardsQualify() {
      assertThatThrownBy(() -> TestHosts.plan(TestHosts.TWO_GPUS))
          .isInstanceOf(PlanRefused.class)
          .hasMessageContaining("several GPUs")
          .hasMessageContaining("0000:01:00.0")
          .hasMessageContaining("0000:02:00.0")
          .hasMessageContaining("--gpu");
      Plan p = intent().gpu("0000:02:00.0").on(TestHosts.TWO_GPUS);
      assertThat(p.hostdevs()).extracting(PciAddress::toString).containsExactly("0000:02:00.0", "0000:02:00.1");
    }
  }

  @Nested
  class ReferenceDefaults {
    private final Plan p = TestHosts.plan(TestHosts.REFERENCE);

    @Test
    void threeVcpusPinnedOffCpu0() {
      assertThat(p.cpu().vcpus()).isEqualTo(3);
      assertThat(p.cpu().vcpuToCpu()).containsExactly(1, 2, 3);
      assertThat(p.cpu().emulatorCpus()).containsExactly(0);
      assertThat(p.cpu().iothreadCpus()).containsExactly(0);
      assertThat(p.cpu().guestTopology()).isEqualTo(new GuestTopology(1, 1, 3, 1));
      assertThat(p.cpu().costs()).isEmpty();
      assertThat(p.numaNode()).isNull();
      assertThat(p.amdCpu()).isFalse();
    }

    @Test
    void sixteenGibOnTwoMegabytePages() {
      assertThat(p.memoryKiB()).isEqualTo(16 * GIB);
      assertThat(p.hugepages()).isEqualTo(new HugepagePlan(2048, 8192, null));
      assertThat(p.notes()).contains("memory: 16 GiB for the guest, 8 GiB left to the host");
    }

    @Test
    void macvtapOnTheDefaultRouteAndTheHostOnlyNetwork() {
      assertThat(p.nics()).containsExactly(new NicSpec(NicSpec.Kind.MACVTAP, "eno1"),
          new NicSpec(NicSpec.Kind.HOSTONLY, NicSpec.DEFAULT_HOSTONLY));
    }

    @Test
    void pulseAudioOnTheDesktopUsersSocket() {
      assertThat(p.audio()).isEqualTo(
          new AudioSpec(AudioSpec.Kind.PULSEAUDIO, "/run/user/1000/pulse/native", "/run/user/1000"));
      assertThat(p.libvirtVersion()).isEqualTo("3.7.0");
    }

    @Test
    void firmwareFromTheKnownOvmfPaths() {
      assertThat(p.firmware().loader()).isEqualTo("/usr/share/edk2/ovmf/OVMF_CODE.fd");
      assertThat(p.firmware().nvramTemplate()).isEqualTo("/usr/share/edk2/ovmf/OVMF_VARS.fd");
      assertThat(p.firmware().secureBoot()).isFalse();
    }

    @Test
    void hostPreparationNamesIommuVfioAndTheRtTrap() {
      assertThat(p.hostPreparation()).hasSize(3);
      assertThat(p.hostPreparation().get(0)).contains("intel_iommu=on");
      assertThat(p.hostPreparation().get(1)).contains("vfio-pci ids=10de:1c03,10de:10f1")
          .contains("nvidia").contains("snd_hda_intel");
      assertThat(p.hostPreparation().get(2)).contains("cgroup_controllers").contains("qemu.conf")
          .contains("priority 10").contains("cgroup.rt-trap");
      assertThat(p.iothreadPriority()).isEqualTo(Planner.DEFAULT_IOTHREAD_PRIORITY);
    }

    @Test
    void aCardWhoseIdsTheHostsOtherCardSharesIsBoundByAddress() {
      Plan twin = intent().gpu("0000:02:00.0").on(TestHosts.TWIN_GPUS);
      assertThat(twin.hostPreparation()).anySatisfy(s -> assertThat(s).contains("by address")
          .contains("10de:2206,10de:1aef").contains("shared with 0000:01:00.0, 0000:01:00.1")
          .doesNotContain("options vfio-pci ids"));
    }

    @Test
    void anIommuOffInTheFirmwareAsksForTheFirmwareNotForArgumentsAlreadyThere(@org.junit.jupiter.api.io.TempDir
        java.nio.file.Path tmp) {
      Plan asus = Planner.plan(io.vgapass.testing.TranscribedHosts.read("asus-f2a85-iommu-off", tmp), Intent.defaults());
      assertThat(asus.hostPreparation().get(0)).contains("switch the IOMMU on: enable it in the firmware setup")
          .contains("already has iommu=pt");
    }

    @Test
    void aPreparedHostNeedsNothing() {
      assertThat(TestHosts.plan(TestHosts.MODERN).hostPreparation()).isEmpty();
    }

    @Test
    void defaultNameAndNoDevicesUnlessAsked() {
      assertThat(p.name()).isEqualTo("win-gpu");
      assertThat(p.disks()).isEmpty();
      assertThat(p.inputs()).isEmpty();
      assertThat(p.nvidiaHideKvm()).isFalse();
    }
  }

  @Nested
  class Compromises {
    @Test
    void fourVcpusOnTheFourCoreReferenceAreAllowedWithTheirCost() {
      Plan p = intent().vcpus(4).on(TestHosts.REFERENCE);
      assertThat(p.cpu().vcpuToCpu()).hasSize(4).doesNotHaveDuplicates();
      assertThat(p.cpu().hostCpus()).isEmpty();
      assertThat(p.notes()).anyMatch(n -> n.contains("all 4 CPUs go to the guest") && n.contains("--vcpus 3"));
    }

    @Test
    void hugepagesOffAndTwoMegabyteAsked() {
      assertThat(intent().hugepages("off").on(TestHosts.REFERENCE).hugepages()).isEqualTo(HugepagePlan.OFF);
      assertThat(intent().memory("8G").hugepages("2M").on(TestHosts.REFERENCE).hugepages())
          .isEqualTo(new HugepagePlan(2048, 4096, null));
    }

    @Test
    void oneGigabytePagesWhenTheCpuHasThem() {
      assertThat(intent().memory("8G").hugepages("1G").on(TestHosts.REFERENCE).hugepages())
          .isEqualTo(new HugepagePlan(GIB, 8, null));
    }

    @Test
    void autoUsesTheOneGigabytePagesReservedAtBoot() {
      Plan p = intent().memory("16G").on(TestHosts.GIG_PAGES);
      assertThat(p.hugepages()).isEqualTo(new HugepagePlan(GIB, 16, null));
      assertThat(p.notes()).anyMatch(n -> n.contains("1 GiB pages"));
    }

    @Test
    void defaultMemoryFitsThePagesReservedAtBoot() {
      // 16 x 1 GiB are reserved at boot: that memory is gone for the host anyway, and 2 MiB pages
      // for a larger guest could not be found in the 12 GiB that are left
      Plan p = TestHosts.plan(TestHosts.GIG_PAGES);
      assertThat(p.memoryKiB()).isEqualTo(16 * GIB);
      assertThat(p.hugepages()).isEqualTo(new HugepagePlan(GIB, 16, null));
    }

    @Test
    void twoNodeHostKeepsTheVcpusAndMemoryOnTheGpusNode() {
      Plan p = intent().vcpus(8).memory("16G").on(TestHosts.TWO_NODE);
      assertThat(p.numaNode()).isEqualTo(1);
      assertThat(p.cpu().numaNode()).isEqualTo(1);
      assertThat(p.cpu().vcpuToCpu()).allMatch(c -> c >= 8 && c < 16 || c >= 24);
      assertThat(p.cpu().guestTopology()).isEqualTo(new GuestTopology(1, 1, 4, 2));
      assertThat(p.hugepages()).isEqualTo(new HugepagePlan(2048, 8192, 1));
    }

    @Test
    void defaultMemoryFitsTheNodeTheVcpusAreOn() {
      // 64 GiB on two nodes: a third-off default (42 GiB) cannot be bound to node 1's 32 GiB
      Plan p = intent().vcpus(8).on(TestHosts.TWO_NODE);
      assertThat(p.numaNode()).isEqualTo(1);
      assertThat(p.memoryKiB()).isEqualTo(24 * GIB);
      assertThat(p.hugepages()).isEqualTo(new HugepagePlan(2048, 24 * 512, 1));
      assertThat(p.notes()).anyMatch(n -> n.startsWith("memory: 24 GiB for the guest (what NUMA node 1"));
    }

    @Test
    void memoryTooBigForTheNodeIsNotBoundToIt() {
      Plan p = intent().vcpus(8).memory("40G").on(TestHosts.TWO_NODE);
      assertThat(p.cpu().numaNode()).isEqualTo(1);
      assertThat(p.numaNode()).isNull();
      assertThat(p.hugepages().node()).isNull();
      assertThat(p.notes()).anyMatch(n -> n.contains("do not fit on NUMA node 1") && n.contains("--memory 24G"));
    }

    @Test
    void amdSmtGuestIsMarkedAmdAndPaired() {
      Plan p = intent().vcpus(4).on(TestHosts.AMD_2CCX);
      assertThat(p.amdCpu()).isTrue();
      assertThat(p.cpu().guestTopology().threads()).isEqualTo(2);
      assertThat(p.cpu().costs()).isEmpty();
      assertThat(p.libvirtVersion()).isEqualTo("8.0.0");
    }

    @Test
    void pipewireFallsBackToPulseAudioBeforeLibvirt93() {
      Plan p = intent().audio("pipewire").on(TestHosts.MODERN);
      assertThat(p.audio().kind()).isEqualTo(AudioSpec.Kind.PULSEAUDIO);
      assertThat(p.audio().socket()).isEqualTo("/run/user/1000/pulse/native");
      assertThat(p.notes()).anyMatch(n -> n.contains("9.0.0") && n.contains("PipeWire"));
    }

    @Test
    void secureBootPicksTheFirmwareWithEnrolledKeys() {
      Plan p = intent().secureBoot().on(TestHosts.MODERN);
      // libvirt 9.0 chooses by the features asked; its descriptor order gives the enrolled build, as pick does
      assertThat(p.firmware().loader()).isNull();
      assertThat(p.firmware().descriptor()).endsWith("40-edk2-x86_64-secure-enrolled.json");
      assertThat(p.firmware().secureBoot()).isTrue();
      assertThat(TestHosts.plan(TestHosts.MODERN).firmware().loader()).isEqualTo("/usr/share/OVMF/OVMF_CODE_4M.fd");
    }

    @Test
    void devicesAsAsked() {
      Plan p = intent().disk("/var/lib/libvirt/images/win.qcow2").disk("/dev/sdb").nic("macvtap:eno1")
          .input("usb:046D:C52B").input("evdev:/dev/input/by-id/usb-Logitech-event-kbd").iothreadPriority(20)
          .nvidiaHideKvm().name("gaming").on(TestHosts.MODERN);
      assertThat(p.disks()).containsExactly(new DiskSpec("/var/lib/libvirt/images/win.qcow2", false, "qcow2"),
          new DiskSpec("/dev/sdb", true, "raw"));
      assertThat(p.nics()).containsExactly(new NicSpec(NicSpec.Kind.MACVTAP, "eno1"));
      assertThat(p.inputs()).containsExactly(new InputSpec(InputSpec.Kind.USB, "046d", "c52b", null, null),
          new InputSpec(InputSpec.Kind.EVDEV, null, null, "/dev/input/by-id/usb-Logitech-event-kbd", null));
      assertThat(p.inputs().get(1).keyboard()).isTrue();
      assertThat(p.iothreadPriority()).isEqualTo(20);
      assertThat(p.nvidiaHideKvm()).isTrue();
      assertThat(p.name()).isEqualTo("gaming");
    }
  }

  @Nested
  class Refusals {
    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void noVcpus(int n) {
      assertThatThrownBy(() -> intent().vcpus(n).on(TestHosts.REFERENCE))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("--vcpus " + n + ": a VM needs at least 1 vCPU")
          .hasMessageContaining("give 1 to 4");
    }

    @Test
    void moreVcpusThanTheHostHas() {
      assertThatThrownBy(() -> intent().vcpus(99).on(TestHosts.REFERENCE))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("--vcpus 99: this host has only 4 online CPUs")
          .hasMessageContaining("give 1 to 4");
    }

    @Test
    void moreMemoryThanTheHostHas() {
      assertThatThrownBy(() -> intent().memory("32G").on(TestHosts.REFERENCE))
          .isInstanceOf(PlanRefused.class)
          .hasMessageStartingWith("--memory 32768M: the host has 24576 MiB")
          .hasMessageContaining("ask for less");
      assertThatThrownBy(() -> intent().memory("128M").on(TestHosts.REFERENCE))
          .isInstanceOf(PlanRefused.class)
          .hasMessageContaining("at least 256M");
    }

    @Test
    void oneGigabytePagesNeedPdpe1gb() {
      Host noGigPages = TestHosts.edited("reference-without-pdpe1gb", TestHosts.REFERENCE,
          s -> s.replace(" pdpe1gb ", " "));
      assertThat(noGigPages.cpu().flags()).doesNotContain("pdpe1gb");
      assertThatThrownBy(() -> Planner.plan(noGigPages, intent().memory("8G").hugepages("1G").build()))
          .isInstanceOf(PlanRefused.class)
          .hasMessage("--hugepages 1G: this CPU lacks pdpe1gb (1 GiB pages); use 2M");
    }

    @Test
    void oneGigabytePagesNeedWholeGigabytes() {
      assertThatThrownBy(() -> intent().memory("8500M").hugepages("1G").on(TestHosts.REFERENCE))
          .isInstanceOf(PlanRefused.class)
          .hasMessageContaining("whole number of GiB");
    }

    @Test
    void memoryMustFillWholePages() {
      assertThatThrownBy(() -> intent().memory("8193M").hugepages("2M").on(TestHosts.REFERENCE))
          .isInstanceOf(PlanRefused.class)
          .hasMessageContaining("multiple of the 2 MiB page size");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 100, -5})
    void iothreadPriorityOutOfRange(int priority) {
      assertThatThrownBy(() -> intent().iothreadPriority(priority).on(TestHosts.REFERENCE))
          .isInstanceOf(PlanRefused.class)
          .hasMessageStartingWith("--iothread-priority " + priority + ": use 1..99")
          .hasMessageContaining("starve");
    }

    @Test
    void iothreadPriorityBoundsAreAllowed() {
      assertThat(intent().iothreadPriority(1).on(TestHosts.REFERENCE).iothreadPriority()).isEqualTo(1);
      assertThat(intent().iothreadPriority(99).on(TestHosts.REFERENCE).iothreadPriority()).isEqualTo(99);
    }

    @Test
    void macvtapOnAMissingInterfaceListsTheRealOnes() {
      assertThatThrownBy(() -> intent().nic("macvtap:eth7").on(TestHosts.REFERENCE))
          .isInstanceOf(PlanRefused.class)
          .hasMessageStartingWith("--nic macvtap:eth7: no such interface")
          .hasMessageContaining("eno1");
    }

    @Test
    void aWholeDiskTheHostDoesNotHave() {
      assertThatThrownBy(() -> intent().disk("/dev/sdz").on(TestHosts.REFERENCE))
          .isInstanceOf(PlanRefused.class)
          .hasMessageStartingWith("--disk /dev/sdz: no such disk on this host")
          .hasMessageContaining("sda, sdb, sdc");
    }

    @Test
    void evdevNeedsLibvirt74() {
      assertThatThrownBy(() -> intent().input("evdev:/dev/input/by-id/usb-Logitech-event-kbd").on(TestHosts.REFERENCE))
          .isInstanceOf(PlanRefused.class)
          .hasMessageStartingWith("--input evdev:/dev/input/by-id/usb-Logitech-event-kbd: libvirt 3.7.0 has no evdev")
          .hasMessageContaining("usb:VID:PID");
      assertThat(intent().input("usb:046d:c52b").on(TestHosts.REFERENCE).inputs()).hasSize(1);
    }

    @Test
    void aBadName() {
      assertThatThrownBy(() -> intent().name("my vm").on(TestHosts.REFERENCE))
          .isInstanceOf(PlanRefused.class)
          .hasMessageStartingWith("--name my vm:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"macvtap", "macvtap:", "bridge:br0", "hostonly:", "nat:", ""})
    void badNicSyntax(String spec) {
      assertThatThrownBy(() -> NicSpec.parse(spec))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("--nic " + spec + ": use macvtap:IFACE, hostonly[:NETWORK] or nat[:NETWORK]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"usb:046d", "usb:046d:c52", "usb:xyzw:c52b", "evdev:/tmp/kbd", "ps2", "usb:046d:c52b:1"})
    void badInputSyntax(String spec) {
      assertThatThrownBy(() -> InputSpec.parse(spec))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("--input " + spec + ": use usb:VID:PID");
    }

    @ParameterizedTest
    @ValueSource(strings = {"alsa", "pulseaudio:", "pulseaudio:run/pulse", "jack"})
    void badAudioSyntax(String spec) {
      assertThatThrownBy(() -> intent().audio(spec).on(TestHosts.REFERENCE))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("--audio " + spec + ":");
    }

    @ParameterizedTest
    @ValueSource(strings = {"win.qcow2", "", "  ", "images/win.img"})
    void badDiskSyntax(String path) {
      assertThatThrownBy(() -> DiskSpec.of(path))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("--disk " + path + ": give an absolute path");
    }

    @ParameterizedTest
    @ValueSource(strings = {"4G", "huge", "2k"})
    void badHugepagesMode(String mode) {
      assertThatThrownBy(() -> HugepageMode.parse(mode))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("--hugepages " + mode + ": use auto, 2M, 1G or off");
    }
  }

  @Test
  void diskSpecsTellImagesFromWholeDisks() {
    assertThat(List.of(DiskSpec.of("/srv/a.qcow2"), DiskSpec.of("/srv/b.img"), DiskSpec.of("/dev/sdb"),
        DiskSpec.of("/dev/nvme0n1")))
        .extracting(d -> d.block() + "/" + d.format())
        .containsExactly("false/qcow2", "false/raw", "true/raw", "true/raw");
  }
}
