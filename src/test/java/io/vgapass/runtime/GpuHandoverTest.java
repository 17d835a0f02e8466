package io.vgapass.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vgapass.host.PciAddress;
import io.vgapass.host.SysRoot;
import io.vgapass.host.sketch.HostSketch;
import io.vgapass.host.sketch.SketchWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gpu release / reclaim as sysfs writes on a fixture tree (the kernel's rebinding is not emulated). */
class GpuHandoverTest {
  @TempDir Path dir;
  static final String CARD = "sys/devices/pci0000:00/0000:00:01.0/0000:01:00.0";
  static final String AUDIO = "sys/devices/pci0000:00/0000:00:01.0/0000:01:00.1";

  @BeforeEach
  void host() throws Exception {
    SketchWriter.write(HostSketch.parse("gpu", String.join("\n",
        "iommu intel",
        "pci 0000:00:01.0 8086:0c01 class=060400 driver=pcieport group=1",
        "pci 0000:01:00.0 10de:1c03 class=030000 driver=nouveau parent=0000:00:01.0 group=1",
        "pci 0000:01:00.1 10de:10f1 class=040300 driver=snd_hda_intel parent=0000:00:01.0 group=1",
        "touch sys/bus/pci/drivers/nouveau/unbind sys/bus/pci/drivers/snd_hda_intel/unbind sys/bus/pci/drivers_probe",
        "dir sys/bus/pci/drivers/vfio-pci " + CARD + "/drm/card1 " + CARD + "/drm/renderD129 " + CARD + "/graphics/fb1 "
            + AUDIO + "/sound/card2",
        "touch dev/dri/card1 dev/dri/renderD129 dev/fb1 dev/snd/controlC2 dev/snd/pcmC2D3p dev/vfio/1",
        "")), dir);
  }

  private GpuHandover handover() {
    return new GpuHandover(new SysRoot(dir), Commands.NONE);
  }

  private void holder(int pid, String comm, String node) throws Exception {
    Files.createDirectories(dir.resolve("proc/" + pid + "/fd"));
    Files.writeString(dir.resolve("proc/" + pid + "/comm"), comm);
    Files.createSymbolicLink(dir.resolve("proc/" + pid + "/fd/7"), Path.of(node));
  }

  @Test
  void statusNamesDriversAndGroup() {
    List<GpuHandover.FunctionState> s = handover().status(PciAddress.parse("01:00.1"));
    assertThat(s).extracting(GpuHandover.FunctionState::address).containsExactly("0000:01:00.0", "0000:01:00.1");
    assertThat(s).extracting(GpuHandover.FunctionState::driver).containsExactly("nouveau", "snd_hda_intel");
    assertThat(s.get(0).group()).isEqualTo(1);
  }

  @Test
  void releaseOverridesUnbindsAndProbesEachFunction() throws Exception {
    List<String> done = handover().release(PciAddress.parse("0000:01:00.0"), false);
    assertThat(Files.readString(dir.resolve(CARD + "/driver_override"))).isEqualTo("vfio-pci");
    assertThat(Files.readString(dir.resolve(AUDIO + "/driver_override"))).isEqualTo("vfio-pci");
    assertThat(Files.readString(dir.resolve("sys/bus/pci/drivers/nouveau/unbind"))).isEqualTo("0000:01:00.0");
    assertThat(Files.readString(dir.resolve("sys/bus/pci/drivers/snd_hda_intel/unbind"))).isEqualTo("0000:01:00.1");
    assertThat(done).anyMatch(l -> l.contains("drivers_probe"));
  }

  @Test
  void dryRunWritesNothing() throws Exception {
    handover().release(PciAddress.parse("0000:01:00.0"), true);
    assertThat(Files.readString(dir.resolve(CARD + "/driver_override")).trim()).isEqualTo("(null)");
  }

  @Test
  void aDesktopOnTheCardBlocksRelease() throws Exception {
    holder(4242, "Xorg", "/dev/dri/card1");
    assertThatThrownBy(() -> handover().release(PciAddress.parse("0000:01:00.0"), false))
        .isInstanceOf(HookFailure.class).hasMessageContaining("pid 4242 (Xorg) holds /dev/dri/card1");
    assertThat(Files.readString(dir.resolve(CARD + "/driver_override")).trim()).isEqualTo("(null)");
  }

  @Test
  void aConsoleOnTheCardsFramebufferBlocksRelease() throws Exception {
    holder(31, "fbcon-user", "/dev/fb1");
    assertThatThrownBy(() -> handover().release(PciAddress.parse("0000:01:00.0"), false))
        .hasMessageContaining("pid 31 (fbcon-user) holds /dev/fb1");
  }

  @Test
  void aSoundServerOnTheHdmiAudioBlocksRelease() throws Exception {
    holder(77, "pipewire", "/dev/snd/pcmC2D3p");
    assertThatThrownBy(() -> handover().release(PciAddress.parse("0000:01:00.0"), false))
        .hasMessageContaining("pipewire");
  }

  @Test
  void aRunningVmBlocksReclaim() throws Exception {
    holder(900, "qemu-system-x86", "/dev/vfio/1");
    assertThatThrownBy(() -> handover().reclaim(PciAddress.parse("0000:01:00.0"), false))
        .hasMessageContaining("vm stop");
  }

  @Test
  void anUnknownCardIsNamed() {
    assertThatThrownBy(() -> handover().status(PciAddress.parse("0000:09:00.0")))
        .hasMessageContaining("0000:09:00.0: no such PCI device");
  }

  @Test
  void theHookHandsTheCardOverAtPrepareAndBackAtRelease() throws Exception {
    Files.createDirectories(dir.resolve("sys/devices/system/cpu"));
    Files.writeString(dir.resolve("sys/devices/system/cpu/online"), "0-1");
    var m = io.vgapass.domain.VgapassMetadata.builder().gpu("0000:01:00.0")
        .hostdevs(List.of("0000:01:00.0", "0000:01:00.1")).vcpuPins(List.of(1)).emulatorCpus(List.of(0))
        .iothreadCpus(List.of(0)).hookHandover(true).build();
    Lifecycle life = new Lifecycle(new SysRoot(dir), Commands.NONE);
    List<String> log = life.prepare("vm", m);
    assertThat(log).anyMatch(l -> l.contains("handed to vfio-pci"));
    assertThat(Files.readString(dir.resolve(CARD + "/driver_override"))).isEqualTo("vfio-pci");
    // the kernel would now show vfio-pci bound; emulate it so reclaim has something to undo
    Files.delete(dir.resolve(CARD + "/driver"));
    Files.createSymbolicLink(dir.resolve(CARD + "/driver"), dir.resolve(CARD + "/driver").getParent()
        .relativize(dir.resolve("sys/bus/pci/drivers/vfio-pci")));
    Files.writeString(dir.resolve("sys/bus/pci/drivers/vfio-pci/unbind"), "");
    life.release("vm");
    assertThat(Files.readString(dir.resolve(CARD + "/driver_override"))).isEqualTo("\n");
    assertThat(Files.readString(dir.resolve("sys/bus/pci/drivers/vfio-pci/unbind"))).isEqualTo("0000:01:00.0");
    assertThat(new StateStore(new SysRoot(dir), "vm").exists()).isFalse();
  }

  @Test
  void aHeldCardFailsThePrepareAndLeavesNothing() throws Exception {
    Files.createDirectories(dir.resolve("sys/devices/system/cpu"));
    Files.writeString(dir.resolve("sys/devices/system/cpu/online"), "0-1");
    holder(4242, "Xorg", "/dev/dri/card1");
    var m = io.vgapass.domain.VgapassMetadata.builder().gpu("0000:01:00.0").hostdevs(List.of("0000:01:00.0"))
        .vcpuPins(List.of(1)).emulatorCpus(List.of(0)).iothreadCpus(List.of(0)).hookHandover(true).build();
    assertThatThrownBy(() -> new Lifecycle(new SysRoot(dir), Commands.NONE).prepare("vm", m))
        .hasMessageContaining("Xorg");
    assertThat(new StateStore(new SysRoot(dir), "vm").exists()).isFalse();
  }

  /** asrock-z170: 00:1f.3 is the onboard audio, beside 1f.0 ISA bridge, 1f.2 memory, 1f.4 SMBus and 1f.6 Ethernet. */
  @Test
  void theChipsetsAudioIsRefusedAndNoFunctionOfItsSlotIsTouched(@TempDir Path other) throws Exception {
    Path root = io.vgapass.testing.TranscribedHosts.host("asrock-z170", other);
    GpuHandover h = new GpuHandover(new SysRoot(root), Commands.NONE);
    assertThatThrownBy(() -> h.release(PciAddress.parse("0000:00:1f.3"), false))
        .isInstanceOf(HookFailure.class)
        .hasMessageStartingWith("0000:00:1f.3 is an audio device (8086:a170, class 0x040300, driver snd_hda_intel), "
            + "not a graphics card");
    for (String f : List.of("1f.0", "1f.2", "1f.3", "1f.4", "1f.6")) {
      Path override = root.resolve("sys/bus/pci/devices/0000:00:" + f + "/driver_override");
      assertThat(Files.readString(override).trim()).as(f).isEqualTo("(null)");
    }
  }

  /** A virtio disk controller where the iGPU usually sits: the host's own disk. */
  @Test
  void aDiskControllerIsRefusedNamingWhatItIs(@TempDir Path other) {
    Path root = io.vgapass.testing.TranscribedHosts.hostWith("asrock-z170", other,
        "pci 0000:00:02.0 1af4:1001 class=018000 driver=virtio-pci group=2");
    assertThatThrownBy(() -> new GpuHandover(new SysRoot(root), Commands.NONE)
        .release(PciAddress.parse("0000:00:02.0"), true))
        .hasMessage("0000:00:02.0 is a storage device (1af4:1001, class 0x018000, driver virtio-pci), not a graphics "
            + "card or one of its functions: vgapass hands only a display device and its own HDMI audio/USB functions "
            + "to vfio-pci (see vgapass doctor for the GPUs)");
  }

  /** A card whose slot also carries a chipset function (a made-up but possible board): the card goes, the rest stays. */
  @Test
  void aChipsetFunctionOnTheCardsSlotStaysWithTheHost() throws Exception {
    SketchWriter.write(HostSketch.parse("gpu-smbus", String.join("\n",
        "iommu intel",
        "pci 0000:00:01.0 8086:0c01 class=060400 driver=pcieport group=1",
        "pci 0000:01:00.0 10de:1c03 class=030000 driver=nouveau parent=0000:00:01.0 group=1",
        "pci 0000:01:00.1 10de:10f1 class=040300 driver=snd_hda_intel parent=0000:00:01.0 group=1",
        "pci 0000:01:00.2 10de:1ada class=0c0330 driver=xhci_hcd parent=0000:00:01.0 group=1",
        "pci 0000:01:00.3 10de:1adb class=0c8000 driver=nvidia-gpu parent=0000:00:01.0 group=1",
        "pci 0000:01:00.4 8086:a123 class=0c0500 driver=i801_smbus parent=0000:00:01.0 group=1",
        "")), dir.resolve("smbus"));
    GpuHandover h = new GpuHandover(new SysRoot(dir.resolve("smbus")), Commands.NONE);
    assertThat(h.functions(PciAddress.parse("0000:01:00.1")))
        .containsExactly("0000:01:00.0", "0000:01:00.1", "0000:01:00.2", "0000:01:00.3");
    assertThat(h.release(PciAddress.parse("0000:01:00.0"), true)).noneMatch(l -> l.contains("01:00.4"));
    assertThatThrownBy(() -> h.release(PciAddress.parse("0000:01:00.4"), true))
        .hasMessageStartingWith("0000:01:00.4 is an SMBus device");
  }
}
