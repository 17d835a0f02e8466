package io.vgapass.runtime;

import io.vgapass.domain.VgapassMetadata;
import io.vgapass.host.CpuList;
import io.vgapass.host.DeviceDrift;
import io.vgapass.host.DeviceIdentity;
import io.vgapass.host.PciAddress;
import io.vgapass.host.SysRoot;
import io.vgapass.plan.ShieldMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the qemu hook does around a vgapass VM's life. {@link #prepare} records every change in
 * the VM's state file before making it and undoes its own work if a step fails; {@link #release}
 * replays the state file backwards and is idempotent, so a crashed VM is still cleaned up.
 */
public final class Lifecycle {
  private final SysRoot root;
  private final Commands commands;
  private final CgroupDirs cgroups;

  public Lifecycle(SysRoot root, Commands commands) {
    this(root, commands, CgroupDirs.KERNEL);
  }

  public Lifecycle(SysRoot root, Commands commands, CgroupDirs cgroups) {
    this.root = root;
    this.commands = commands;
    this.cgroups = cgroups;
  }

  /**
   * Prepares the host for the VM after checking that each recorded device is still at its address (nothing is changed
   * when one is not: libvirt would take whatever sits there now); returns one line per step for the hook's log.
   */
  public List<String> prepare(String domain, VgapassMetadata m, List<DeviceIdentity> devices) {
    List<DeviceDrift> drift = DeviceDrift.check(root, devices);
    if (!drift.isEmpty()) {
      throw new HookFailure(domain + ": refused to start, its passed devices are not where they were recorded: "
          + DeviceDrift.summary(domain, drift) + " (nothing was changed)");
    }
    List<String> log = new ArrayList<>(prepare(domain, m));
    if (!devices.isEmpty()) log.add(0, "devices: " + devices.size() + " where recorded");
    return log;
  }

  /** Prepares the host for the VM; returns one line per step for the hook's log. */
  public List<String> prepare(String domain, VgapassMetadata m) {
    StateStore state = new StateStore(root, domain);
    if (state.exists()) release(domain); // leftovers of a VM that died without a release
    SysFiles files = new SysFiles(root);
    List<String> log = new ArrayList<>();
    try {
      RtTrap.check(root, domain, m);
      if (m.singleGpu() != null && m.gpu() != null) {
        List<String> steps = singleGpu().handOver(PciAddress.parse(m.gpu()), m.singleGpu().limitSeconds(), state);
        log.add("single-GPU: " + m.gpu() + " handed to vfio-pci (" + String.join(", ", steps) + ")");
      } else if (m.hookHandover() && m.gpu() != null) {
        state.record(new StateStore.Entry(StateKind.GPU_HANDOVER, m.gpu(), "", 0));
        List<String> done = new GpuHandover(root, commands).release(PciAddress.parse(m.gpu()), false);
        log.add("gpu: " + m.gpu() + " handed to vfio-pci (" + done.size() + " sysfs writes)");
      }
      if (m.hugepageKiB() > 0 && m.hugepages() > 0) {
        long added = new HugepageGrant(files, commands, state).reserve(domain, m.hugepageKiB(), m.hugepages(), m.node());
        log.add("hugepages: " + m.hugepages() + " x " + m.hugepageKiB() / 1024 + " MiB ready (" + added + " added)");
      }
      if (m.shield() == ShieldMode.OFF) {
        log.add("shield: off (the plan asks for none)");
      } else {
        log.add("shield: " + new CpuShield(root, files, commands, state, cgroups).shield(hostCpus(m)));
      }
      if (m.shield() == ShieldMode.DEEP) {
        log.add(new DeepShield(root, files, commands, state).shield(domain, hostCpus(m), m.vcpuPins(), m.hostdevs()));
      }
      int gov = new Governor(files, state).performance(m.vcpuPins());
      log.add("governor: performance on " + gov + " CPU" + (gov == 1 ? "" : "s"));
      return log;
    } catch (RuntimeException e) {
      try {
        release(domain);
      } catch (RuntimeException undo) {
        e.addSuppressed(undo); // the step's failure is the reason libvirt shows; the state file keeps the rest
      }
      throw e;
    }
  }

  /** Undoes everything the state file records, newest first. Safe to run any number of times. */
  public List<String> release(String domain) {
    StateStore state = new StateStore(root, domain);
    List<String> log = new ArrayList<>();
    if (state.refuseIfNotPlain()) {
      log.add("refused the state file /run/vgapass/" + domain + ".state (not a plain file; removed)");
      return log;
    }
    List<StateStore.Entry> entries = state.entries();
    if (entries.isEmpty()) {
      if (state.exists()) state.keepOnly(List.of());
      return log;
    }
    SysFiles files = new SysFiles(root);
    HugepageGrant huge = new HugepageGrant(files, commands, state);
    CpuShield shield = new CpuShield(root, files, commands, state, cgroups);
    Governor gov = new Governor(files, state);
    DeepShield deep = new DeepShield(root, files, commands, state);
    List<StateStore.Entry> remaining = new ArrayList<>(entries);
    List<StateStore.Entry> retry = new ArrayList<>();
    List<StateStore.Entry> reversed = new ArrayList<>(entries);
    Collections.reverse(reversed);
    Set<String> settledPools = new HashSet<>();
    boolean cardHeld = false; // the card is still the VM's: nothing of the desktop may come back before it
    for (StateStore.Entry e : reversed) {
      boolean owned = OwnedPlaces.owns(root, e);
      if (!owned) log.add("refused (not a place vgapass owns) " + e.kind() + " " + e.path());
      else if (SingleGpuHandover.kind(e.type())) {
        if (cardHeld) {
          retry.add(0, e);
        } else {
          try {
            log.add(singleGpu().undo(e));
          } catch (HookFailure failed) {
            log.add("could not give back (kept for the next release): " + failed.getMessage());
            retry.add(0, e);
            cardHeld = e.type() == StateKind.SINGLE_VFIO;
          }
        }
      } else switch (e.type()) {
        case HUGEPAGES_GRANTED -> {
          huge.release(e, true);
          settledPools.add(e.path());
        }
        case HUGEPAGES -> huge.release(e, settledPools.contains(e.path()));
        case GOVERNOR -> gov.undo(e);
        case WORKQUEUE_CPUMASK, IRQ_DEFAULT_AFFINITY, IRQ_AFFINITY, KTHREAD_AFFINITY -> deep.undo(e);
        case GPU_HANDOVER -> {
          try {
            new GpuHandover(root, commands).reclaim(PciAddress.parse(e.path()), false);
          } catch (HookFailure busy) {
            retry.add(0, e); // still held (QEMU not gone yet): the next release gives it back
          }
        }
        default -> {
          if (!shield.undo(e)) retry.add(0, e);
        }
      }
      if (owned && !SingleGpuHandover.kind(e.type())) {
        log.add((retry.contains(e) ? "could not undo (kept for the next release) " : "undone ") + e.kind() + " "
            + e.path());
      }
      remaining.remove(remaining.size() - 1);
      List<StateStore.Entry> keep = new ArrayList<>(retry);
      keep.addAll(0, remaining);
      state.keepOnly(keep);
    }
    return log;
  }

  /** Single-GPU mode's hand-over; tests give the Lifecycle one that runs against a stand-in kernel. */
  SingleGpuHandover singleGpu() {
    return singleGpu != null ? singleGpu : new SingleGpuHandover(root, commands);
  }

  private SingleGpuHandover singleGpu;

  /** The hand-over to use (tests: one whose sysfs writes a stand-in kernel carries out). */
  public Lifecycle withSingleGpu(SingleGpuHandover handover) {
    this.singleGpu = handover;
    return this;
  }

  /** Every online CPU no vCPU is pinned to: the host, the emulator and the I/O thread run there. */
  List<Integer> hostCpus(VgapassMetadata m) {
    TreeSet<Integer> online = new TreeSet<>(CpuList.parse(root.read("sys/devices/system/cpu/online").orElse("")));
    online.removeAll(m.vcpuPins());
    return List.copyOf(online);
  }
}
