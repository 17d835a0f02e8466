package io.vgapass.apply;

import io.vgapass.host.Host;
import io.vgapass.host.PciAddress;
import io.vgapass.host.PciDevice;
import io.vgapass.host.SysRoot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What is in effect now (the running kernel's line, the drivers bound) against what the next boot will
 * carry (the boot configuration and vgapass's files), with the journal and the way back.
 *
 * @param running the relevant arguments on /proc/cmdline
 * @param nextBoot the relevant arguments the boot configuration carries
 * @param pending arguments the next boot adds (in nextBoot, not running)
 * @param devices the functions the last apply gave to vfio-pci, with their driver now and after the boot
 * @param vfioConfig vgapass's modprobe.d file as it is (empty when absent)
 * @param journal every entry, oldest first, damaged and half-made ones with what is wrong and what to do
 * @param interrupted an apply or undo that did not finish, or null (also while another run holds the lock:
 *     then its entry is open because it is running, see {@code inProgress})
 * @param inProgress who is changing the host now (another vgapass holds the journal's lock), or null
 */
public record HostStatus(
    List<String> running,
    boolean iommuActive,
    List<String> nextBoot,
    List<String> pending,
    List<DeviceState> devices,
    String vfioConfig,
    List<Entry> journal,
    String interrupted,
    String inProgress,
    List<String> recovery) {

  public record DeviceState(String address, String ids, String driverNow, String driverAfterBoot) {}

  /**
   * One journal entry.
   *
   * @param state its state, or "damaged" / "half-made" for an entry vgapass cannot use
   * @param checked its copies were checked against digests (false: written before vgapass recorded them)
   * @param problem for a damaged or half-made entry: the file and what is wrong with it, else null
   * @param fix for a damaged or half-made entry: what to do, else null
   */
  public record Entry(String id, String created, String state, Object gpu, int steps, boolean checked,
      String problem, String fix) {}

  static final List<String> KEYS = List.of("intel_iommu", "amd_iommu", "iommu", "isolcpus", "nohz_full", "rcu_nocbs",
      "default_hugepagesz", "hugepagesz", "hugepages", "vfio-pci.ids", "vfio_pci.ids", "modprobe.blacklist",
      "rd.driver.pre", "pcie_acs_override");

  public static HostStatus of(SysRoot root, Host host) {
    List<String> running = relevant(host.kernel().arguments());
    List<String> next = relevant(BootConfig.configured(root, host));
    List<String> pending = next.stream().filter(a -> !running.contains(a)).toList();
    Journal journal = new Journal(root);
    List<Entry> entries = new ArrayList<>();
    for (JournalEntry e : journal.entries()) {
      if (e instanceof Transaction t) {
        entries.add(new Entry(t.id(), t.created(), t.state(), t.request().get("gpu"), t.steps().size(), t.checked(),
            null, null));
      } else if (e instanceof DamagedEntry d) {
        entries.add(new Entry(d.id(), null, d.label(), null, 0, false, d.file() + " " + d.problem(), d.fix()));
      }
    }
    String modprobe = new Changes(root, List.of()).text(PreparationPlanner.MODPROBE);
    boolean configured = modprobe != null || next.stream().anyMatch(a -> a.startsWith("vfio-pci.ids="));
    List<DeviceState> devices = new ArrayList<>();
    Optional<Transaction> last = journal.latestCommitted();
    List<String> recovery = List.of();
    if (last.isPresent()) {
      Map<?, ?> req = last.get().request();
      // a late-binding card and single-GPU mode bind nothing at boot: the modprobe.d file may hold only a softdep
      boolean bindsAtBoot = configured && !Preparation.leavesCardAtBoot(String.valueOf(req.get("binding")));
      if (req.get("functions") instanceof List<?> fs) {
        for (Object f : fs) {
          PciAddress a;
          try {
            a = PciAddress.parse(String.valueOf(f));
          } catch (IllegalArgumentException e) {
            continue; // transaction.json carries no digest of its own: a damaged request only costs this line
          }
          PciDevice d = host.device(a).orElse(null);
          devices.add(new DeviceState(a.toString(), d == null ? null : d.ids(), d == null ? null : d.driver(),
              bindsAtBoot ? "vfio-pci" : d == null ? null : d.driver()));
        }
      }
      if (req.get("bootloader") instanceof String b && req.get("kernelArgs") instanceof List<?> args) {
        BootConfig.Kind kind = Arrays.stream(BootConfig.Kind.values())
            .filter(k -> BootConfig.label(k).equals(b)).findFirst().orElse(BootConfig.Kind.GRUB);
        recovery = PreparationPlanner.recovery(kind, args.stream().map(String::valueOf).toList(),
            String.valueOf(req.get("binding")));
      }
    }
    String inProgress = journal.lockHolder().orElse(null);
    String interrupted = inProgress != null ? null
        : journal.interrupted().map(t -> t.id() + " (" + t.state() + ")").orElse(null);
    return new HostStatus(running, host.iommu().active(), next, pending, devices, modprobe == null ? "" : modprobe,
        entries, interrupted, inProgress, recovery);
  }

  static List<String> relevant(List<String> args) {
    return args.stream().filter(a -> KEYS.contains(KernelArgs.key(a))).toList();
  }
}
