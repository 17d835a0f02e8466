package io.vgapass.cli;

import io.vgapass.host.CpuList;
import io.vgapass.host.Host;
import io.vgapass.host.PciAddress;
import io.vgapass.plan.CpuPlan;
import io.vgapass.plan.NicSpec;
import io.vgapass.plan.Plan;
import java.io.PrintWriter;
import java.util.stream.Collectors;

/** The human rendering of a plan. */
final class PlanText {
  void render(String label, Host host, Plan p, PrintWriter out) {
    CpuPlan c = p.cpu();
    out.println("vgapass plan — " + label);
    out.println("  VM " + p.name() + ": GPU " + p.gpu().address() + " (" + p.gpu().vendor() + " " + p.gpu().ids()
        + ") with " + p.hostdevs().stream().map(PciAddress::toString).collect(Collectors.joining(", ")));
    out.println("  vCPUs " + c.vcpus() + " as " + c.guestTopology().sockets() + " socket x "
        + c.guestTopology().cores() + " cores x " + c.guestTopology().threads() + " threads (host-passthrough)");
    StringBuilder pins = new StringBuilder();
    for (int v = 0; v < c.vcpus(); v++) pins.append(v == 0 ? "" : ", ").append(v).append("->").append(c.vcpuToCpu().get(v));
    out.println("  pinning vCPU->CPU " + pins + "; emulator " + CpuList.format(c.emulatorCpus()) + "; I/O thread "
        + CpuList.format(c.iothreadCpus()) + " (SCHED_FIFO " + p.iothreadPriority() + "); host keeps "
        + (c.hostCpus().isEmpty() ? "nothing" : CpuList.format(c.hostCpus())));
    out.println("  memory " + p.memoryKiB() / 1024 + " MiB" + (p.hugepages().enabled() ? " on " + p.hugepages().count()
        + " x " + (p.hugepages().sizeKiB() >= 1048576 ? "1 GiB" : "2 MiB") + " huge pages" : " (no huge pages)")
        + (p.numaNode() == null ? "" : " from NUMA node " + p.numaNode()));
    out.println("  firmware " + (p.firmware().loader() == null ? "UEFI chosen by libvirt" : p.firmware().loader())
        + (p.firmware().secureBoot() ? " (secure boot)" : " (secure boot off)")
        + (p.tpm() ? "; TPM 2.0 (swtpm)" : "; no TPM"));
    if (!p.installMedia().absent()) {
      out.println("  install media " + java.util.stream.Stream.of(p.installMedia().installIso(),
          p.installMedia().driversIso()).filter(java.util.Objects::nonNull).collect(Collectors.joining(", "))
          + " as SATA CD-ROMs" + (p.installMedia().installIso() != null ? ", booted first" : ""));
    }
    if (!p.disks().isEmpty()) {
      out.println("  disks " + p.disks().stream().map(d -> d.path() + (d.block() ? " (raw LUN)" : " (" + d.format() + ")"))
          .collect(Collectors.joining(", ")) + " on virtio-scsi with the I/O thread");
    }
    out.println("  network " + p.nics().stream().map(PlanText::nic).collect(Collectors.joining(", ")));
    out.println("  sound " + switch (p.audio().kind()) {
      case NONE -> "none";
      case PIPEWIRE -> "ich9 -> PipeWire (" + p.audio().runtimeDir() + ")";
      case PULSEAUDIO -> "ich9 -> PulseAudio " + p.audio().socket();
    });
    if (!p.hostPreparation().isEmpty()) {
      out.println();
      out.println("Before the first start, prepare the host:");
      p.hostPreparation().forEach(s -> out.println("  - " + s));
    }
    if (!p.notes().isEmpty()) {
      out.println();
      out.println("Notes:");
      p.notes().forEach(s -> out.println("  - " + s));
    }
  }

  private static String nic(NicSpec n) {
    return n.label();
  }
}
