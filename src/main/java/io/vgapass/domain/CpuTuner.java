package io.vgapass.domain;

import io.vgapass.host.CpuList;
import io.vgapass.plan.CpuPlan;
import io.vgapass.plan.GuestTopology;
import io.vgapass.plan.Plan;
import java.util.TreeSet;

/** vcpu, iothreads, cputune pinning and FIFO I/O thread, host-passthrough CPU topology, numatune. */
final class CpuTuner implements Tuner {
  private static final String IOTHREADS = "./iothreads";
  private static final String IOTHREAD_1 = "./iothreadids/iothread[@id='1']";
  private static final String TOPOLOGY_DIES = "./topology/@dies";
  @Override
  public void tune(XmlDoc doc, Plan plan, TuneScope scope, Ownership owned) {
    if (scope.devicesOnly()) return;
    CpuPlan cpu = plan.cpu();
    checkGuestNuma(doc, cpu.vcpus());
    doc.set(DomainPaths.VCPU, String.valueOf(cpu.vcpus()));
    doc.set("./vcpu/@placement", "static");
    doc.remove("./vcpu/@cpuset");
    doc.remove("./vcpu/@current");
    // per-vCPU hotplug state: every vCPU is now online and pinned, and ids past the new count would be refused
    doc.remove("./vcpus");
    if (Devices.number(doc.get(IOTHREADS)) < 1) doc.set(IOTHREADS, "1");
    if (doc.exists("./iothreadids") && !doc.exists(IOTHREAD_1)) {
      // explicit ids without 1: the pin, the FIFO policy and the disk controller all name I/O thread 1
      doc.add(IOTHREAD_1);
      int ids = doc.list("./iothreadids/iothread").size();
      if (Devices.number(doc.get(IOTHREADS)) < ids) doc.set(IOTHREADS, String.valueOf(ids));
    }

    doc.remove("./cputune/vcpupin");
    doc.remove("./cputune/emulatorpin");
    // I/O thread 1 is ours; the user's pins and policies for other I/O threads stay
    doc.remove("./cputune/iothreadpin[@iothread='1']");
    releaseIothread1(doc);
    for (int v = 0; v < cpu.vcpus(); v++) {
      doc.set("./cputune/vcpupin[@vcpu='" + v + "']/@cpuset", String.valueOf(cpu.vcpuToCpu().get(v)));
    }
    doc.set("./cputune/emulatorpin/@cpuset", CpuList.format(cpu.emulatorCpus()));
    doc.set("./cputune/iothreadpin[@iothread='1']/@cpuset", CpuList.format(cpu.iothreadCpus()));
    XmlNode sched = doc.add("./cputune/iothreadsched[@iothreads='1']");
    sched.set("./@scheduler", "fifo");
    sched.set("./@priority", String.valueOf(plan.iothreadPriority()));

    XmlNode c = doc.ensure("./cpu");
    // host-passthrough needs KVM: libvirt refuses it for a type='qemu' (TCG) domain, whose closest is 'maximum'
    boolean tcg = "qemu".equals(doc.get(DomainPaths.TYPE));
    c.set("./@mode", tcg ? "maximum" : "host-passthrough");
    c.set("./@check", "none");
    c.remove("./model");
    c.remove("./vendor");
    c.remove("./@match");
    GuestTopology t = cpu.guestTopology();
    c.set("./topology/@sockets", String.valueOf(t.sockets()));
    if (t.dies() > 1) c.set(TOPOLOGY_DIES, String.valueOf(t.dies()));
    else c.remove(TOPOLOGY_DIES);
    c.set("./topology/@cores", String.valueOf(t.cores()));
    c.set("./topology/@threads", String.valueOf(t.threads()));
    if (tcg) c.remove("./cache"); // the host's cache topology is passed through only with host-passthrough
    else c.set("./cache/@mode", "passthrough");
    if (t.threads() > 1 && plan.amdCpu()) {
      c.set("./feature[@name='topoext']/@policy", "require");
    }

    numatune(doc, plan);
  }

  /**
   * Guest NUMA cells ({@code <cpu><numa><cell cpus=...>}) are the user's and must place exactly the vCPUs there
   * are: libvirt refuses cells naming more ("Number of CPUs in <numa> exceeds the <vcpu> count"), QEMU objects to
   * vCPUs in no cell. Refuse a vCPU count that does not match them rather than write such a domain.
   */
  private static void checkGuestNuma(XmlDoc doc, int vcpus) {
    TreeSet<Integer> inCells = new TreeSet<>();
    for (XmlNode cell : doc.list(DomainPaths.NUMA_CELLS)) {
      try {
        inCells.addAll(Devices.bitmap(cell.get("./@cpus")));
      } catch (IllegalArgumentException e) {
        return; // not ours to judge; libvirt will name it
      }
    }
    if (inCells.isEmpty()) return;
    if (inCells.size() != vcpus || inCells.last() != vcpus - 1) {
      throw new IllegalArgumentException(doc.name() + ": its guest NUMA cells (<cpu><numa>) hold vCPUs "
          + CpuList.format(inCells) + ", but the plan has " + vcpus + (vcpus == 1 ? " vCPU" : " vCPUs")
          + "; pass --vcpus " + inCells.size() + " or change the cells");
    }
  }

  /**
   * Takes I/O thread 1 out of every {@code <iothreadsched>} (vgapass sets its policy; libvirt refuses two for one
   * thread), dropping those left with no thread: "1-3,^2" becomes "3", "1" goes.
   */
  static void releaseIothread1(XmlDoc doc) {
    for (XmlNode s : doc.list("./cputune/iothreadsched")) {
      TreeSet<Integer> ids;
      try {
        ids = Devices.bitmap(s.get("./@iothreads"));
      } catch (IllegalArgumentException e) {
        continue; // not ours to repair; libvirt will name it
      }
      if (!ids.remove(1)) continue;
      if (ids.isEmpty()) s.remove();
      else s.set("./@iothreads", CpuList.format(ids));
    }
  }

  private static void numatune(XmlDoc doc, Plan plan) {
    if (plan.numaNode() != null) {
      // placement='auto' (numad) and a nodeset exclude each other: libvirt's schema allows one or the other
      doc.remove("./numatune/memory/@placement");
      doc.set("./numatune/memory/@mode", "strict");
      doc.set("./numatune/memory/@nodeset", String.valueOf(plan.numaNode()));
    } else {
      doc.remove("./numatune/memory");
    }
  }
}
