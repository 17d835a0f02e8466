package io.vgapass.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vgapass.host.PciAddress;
import io.vgapass.host.SysRoot;
import io.vgapass.host.sketch.HostSketch;
import io.vgapass.host.sketch.SketchWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gpu recover's steps on a fixture tree shaped like the lab's card (ati-vga 1002:5046 + intel-hda 8086:2668 behind the
 * root port 00:03.0). A small fake kernel stands in for what sysfs does on each write (unbind drops the driver link,
 * remove takes the device off the bus, rescan brings it back on its host driver); the lab runs the real one.
 */
class GpuRecoveryTest {
  @TempDir Path dir;
  static final String PORT = "sys/devices/pci0000:00/0000:00:03.0";
  static final String CARD = PORT + "/0000:01:00.0";
  static final String AUDIO = PORT + "/0000:01:00.1";
  static final Map<String, String> HOST_DRIVERS = Map.of("0000:01:00.0", "aty128fb", "0000:01:00.1", "snd_hda_intel");

  final List<String> writes = new ArrayList<>();
  /** Functions the fake kernel does not bring back on rescan (a card that fell off the bus). */
  final Set<String> lost = new java.util.HashSet<>();
  /** Functions whose reset the fake kernel refuses, with the error. */
  final Map<String, String> resetFails = new HashMap<>();

  @BeforeEach
  void host() throws Exception {
    SketchWriter.write(HostSketch.parse("lab", String.join("\n",
        "iommu intel",
        "pci 0000:00:03.0 1b36:000c class=060400 driver=pcieport group=5",
        "pci 0000:01:00.0 1002:5046 class=030000 driver=vfio-pci parent=0000:00:03.0 group=6 reset=bus",
        "pci 0000:01:00.1 8086:2668 class=040300 driver=vfio-pci parent=0000:00:03.0 group=6",
        "touch sys/bus/pci/drivers/vfio-pci/unbind sys/bus/pci/drivers_probe " + PORT + "/rescan " + CARD + "/remove "
            + AUDIO + "/remove " + CARD + "/reset",
        "dir sys/bus/pci/drivers/aty128fb sys/bus/pci/drivers/snd_hda_intel",
        "")), dir);
    Files.writeString(dir.resolve(CARD + "/driver_override"), "vfio-pci\n");
    Files.writeString(dir.resolve(AUDIO + "/driver_override"), "vfio-pci\n");
  }

  /** What sysfs does on each write, enough for the recovery's steps. */
  private void kernel(String rel, String value) {
    writes.add(rel + "=" + value.strip());
    try {
      Path p = dir.resolve(rel);
      if (rel.endsWith("/driver/unbind")) {
        Files.delete(p.getParent()); // the driver link goes
      } else if (rel.endsWith("/reset")) {
        String f = rel.split("/")[4];
        if (resetFails.containsKey(f)) throw new HookFailure("cannot write '1' to /" + rel + ": " + resetFails.get(f));
      } else if (rel.endsWith("/remove")) {
        Files.delete(dir.resolve("sys/bus/pci/devices/" + rel.split("/")[4]));
      } else if (rel.endsWith("/rescan")) {
        for (String f : HOST_DRIVERS.keySet()) {
          if (lost.contains(f) || Files.exists(dir.resolve("sys/bus/pci/devices/" + f))) continue;
          Path dev = dir.resolve(PORT + "/" + f);
          Files.createSymbolicLink(dir.resolve("sys/bus/pci/devices/" + f), Path.of("../../../devices/pci0000:00/0000:00:03.0/" + f));
          Files.writeString(dev.resolve("driver_override"), "(null)\n"); // a new device: no override
          Path drv = dev.resolve("driver");
          if (Files.isSymbolicLink(drv)) Files.delete(drv);
          Files.createSymbolicLink(drv, Path.of("../../../../bus/pci/drivers/" + HOST_DRIVERS.get(f)));
        }
      } else {
        Files.writeString(p, value);
      }
    } catch (IOException e) {
      throw new HookFailure("cannot write '" + value + "' to /" + rel + ": " + e.getMessage());
    }
  }

  private GpuRecovery recovery() {
    return new GpuRecovery(new SysRoot(dir), Commands.NONE, this::kernel, 0);
  }

  @Test
  void aCardOnVfioPciComesBackToItsHostDriversStepByStep() {
    GpuRecovery.Outcome o = recovery().recover(PciAddress.parse("0000:01:00.1"), false);
    assertThat(o.recovered()).isTrue();
    assertThat(o.steps()).extracting(GpuRecovery.Step::step)
        .containsExactly("unbind", "unbind", "reset", "reset", "remove", "rescan", "rebind", "check");
    assertThat(o.steps()).allMatch(GpuRecovery.Step::ok);
    assertThat(writes).containsExactly(
        CARD.replace(PORT, "sys/bus/pci/devices").replace("/0000:01:00.0", "/0000:01:00.0") + "/driver_override=",
        "sys/bus/pci/devices/0000:01:00.0/driver/unbind=0000:01:00.0",
        "sys/bus/pci/devices/0000:01:00.1/driver_override=",
        "sys/bus/pci/devices/0000:01:00.1/driver/unbind=0000:01:00.1",
        "sys/bus/pci/devices/0000:01:00.0/reset=1",
        "sys/bus/pci/devices/0000:01:00.1/remove=1",
        "sys/bus/pci/devices/0000:01:00.0/remove=1",
        PORT.replace("sys/devices/pci0000:00", "sys/bus/pci/devices") + "/rescan=1");
    assertThat(o.steps().get(2).detail()).isEqualTo("0000:01:00.0 reset (methods in order: bus)");
    assertThat(o.steps().get(3).detail()).contains("0000:01:00.1: the kernel offers no reset for it");
    assertThat(o.steps().get(5).detail()).contains("/sys/bus/pci/devices/0000:00:03.0/rescan");
    assertThat(o.verdict()).isEqualTo("0000:01:00.1 is back: 0000:01:00.0 on aty128fb, 0000:01:00.1 on snd_hda_intel");
  }

  @Test
  void aResetTheKernelRefusesIsReportedAndTheRestStillRuns() {
    resetFails.put("0000:01:00.0", "Inappropriate ioctl for device");
    GpuRecovery.Outcome o = recovery().recover(PciAddress.parse("0000:01:00.0"), false);
    GpuRecovery.Step reset = o.steps().get(2);
    assertThat(reset.ok()).isFalse();
    assertThat(reset.detail()).contains("the kernel could not reset it (methods in order: bus)")
        .contains("Inappropriate ioctl for device");
    assertThat(o.recovered()).isTrue();
    assertThat(writes).contains("sys/bus/pci/devices/0000:00:03.0/rescan=1");
  }

  @Test
  void aFunctionThatDoesNotComeBackMeansAReboot() {
    lost.add("0000:01:00.0");
    GpuRecovery.Outcome o = recovery().recover(PciAddress.parse("0000:01:00.0"), false);
    assertThat(o.recovered()).isFalse();
    assertThat(o.verdict()).startsWith("only a host reboot will bring 0000:01:00.0 back: 0000:01:00.0 is gone from the bus");
    assertThat(o.steps()).filteredOn(s -> s.step().equals("rescan")).allMatch(s -> !s.ok())
        .allMatch(s -> s.detail().contains("0000:01:00.0 did not come back"));
  }

  @Test
  void aCardWhoseConfigSpaceReadsAllOnesMeansAReboot() throws Exception {
    Files.writeString(dir.resolve(CARD + "/vendor"), "0xffff\n");
    GpuRecovery.Outcome o = recovery().recover(PciAddress.parse("0000:01:00.0"), false);
    assertThat(o.recovered()).isFalse();
    assertThat(o.verdict()).contains("only a host reboot").contains("0000:01:00.0 answers 0xffff");
  }

  @Test
  void aHeldCardIsRefusedNamingTheHolderAndNothingIsWritten() throws Exception {
    Files.createDirectories(dir.resolve(AUDIO + "/sound/card0"));
    Files.createDirectories(dir.resolve("dev/snd"));
    Files.writeString(dir.resolve("dev/snd/controlC0"), "");
    Files.createDirectories(dir.resolve("proc/4242/fd"));
    Files.writeString(dir.resolve("proc/4242/comm"), "sleep\n");
    Files.createSymbolicLink(dir.resolve("proc/4242/fd/3"), Path.of("/dev/snd/controlC0"));
    assertThatThrownBy(() -> recovery().recover(PciAddress.parse("0000:01:00.0"), false))
        .isInstanceOf(HookFailure.class)
        .hasMessageContaining("refused to recover 0000:01:00.0: the card is in use (0000:01:00.1: pid 4242 (sleep) "
            + "holds /dev/snd/controlC0)")
        .hasMessageContaining("nothing was changed");
    assertThat(writes).isEmpty();
  }

  @Test
  void aRunningVmHoldsTheVfioGroupAndIsRefused() throws Exception {
    Files.createDirectories(dir.resolve("dev/vfio"));
    Files.writeString(dir.resolve("dev/vfio/6"), "");
    Files.createDirectories(dir.resolve("proc/77/fd"));
    Files.writeString(dir.resolve("proc/77/comm"), "qemu-system-x86\n");
    Files.createSymbolicLink(dir.resolve("proc/77/fd/30"), Path.of("/dev/vfio/6"));
    assertThatThrownBy(() -> recovery().recover(PciAddress.parse("0000:01:00.0"), false))
        .hasMessageContaining("pid 77 (qemu-system-x86) holds /dev/vfio/6");
    assertThat(writes).isEmpty();
  }

  @Test
  void aDryRunWritesNothing() {
    GpuRecovery.Outcome o = recovery().recover(PciAddress.parse("0000:01:00.0"), true);
    assertThat(writes).isEmpty();
    assertThat(o.verdict()).isEqualTo("dry run: nothing was written");
    assertThat(o.steps()).extracting(GpuRecovery.Step::step).contains("unbind", "reset", "remove", "rescan");
  }

  @Test
  void aDeviceThatIsNotACardIsRefused() throws Exception {
    SketchWriter.write(HostSketch.parse("nvme", "pci 0000:02:00.0 144d:a808 class=010802 driver=nvme\n"), dir);
    assertThatThrownBy(() -> recovery().recover(PciAddress.parse("0000:02:00.0"), false))
        .hasMessageContaining("not a graphics card");
    assertThat(writes).isEmpty();
  }
}
