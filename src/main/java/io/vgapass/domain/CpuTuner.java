package io.vgapass.domain;

import io.vgapass.host.CpuList;
import io.vgapass.plan.CpuPlan;
import io.vgapass.plan.GuestTopology;
import io.vgapass.plan.Plan;

/** vcpu, iothreads, cputune pinning and FIFO I/O thread, host-passthrough CPU topology, numatune. */
final class CpuTuner implements Tuner {
  @Override
  public void tune(XmlDoc doc, Plan plan, TuneScope scope, Ownership owned) {
    CpuPlan cpu = plan.cpu();
    doc.set("./vcpu", String.valueOf(cpu.vcpus()));
    doc.set("./vcpu/@placement", "static");
    doc.remove("./vcpu/@cpuset");
    doc.remove("./vcpu/@current");
    if (Devices.hex(doc.get("./iothreads")) < 1) doc.set("./iothreads", "1");

    doc.remove("./cputune/vcpupin");
    doc.remove("./cputune/emulatorpin");
    doc.remove("./cputune/iothreadpin");
    doc.remove("./cputune/iothreadsched");
    for (int v = 0; v < cpu.vcpus(); v++) {
      doc.set("./cputune/vcpupin[@vcpu='" + v + "']/@cpuset", String.valueOf(cpu.vcpuToCpu().get(v)));
    }
    doc.set("./cputune/emulatorpin/@cpuset", CpuList.format(cpu.emulatorCpus()));
    doc.set("./cputune/iothreadpin[@iothread='1']/@cpuset", CpuList.format(cpu.iothreadCpus()));
    XmlNode sched = doc.add("./cputune/iothreadsched[@iothreads='1']");
    sched.set("./@scheduler", "fifo");
    sched.set("./@priority", String.valueOf(plan.iothreadPriority()));

    XmlNode c = doc.ensure("./cpu");
    c.set("./@mode", "host-passthrough");
    c.set("./@check", "none");
    c.remove("./model");
    c.remove("./vendor");
    c.remove("./@match");
    GuestTopology t = cpu.guestTopology();
    c.set("./topology/@sockets", String.valueOf(t.sockets()));
    if (t.dies() > 1) c.set("./topology/@dies", String.valueOf(t.dies()));
    else c.remove("./topology/@dies");
    c.set("./topology/@cores", String.valueOf(t.cores()));
    c.set("./topology/@threads", String.valueOf(t.threads()));
    c.set("./cache/@mode", "passthrough");
    if (t.threads() > 1 && plan.amdCpu()) {
      c.set("./feature[@name='topoext']/@policy", "require");
    }

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
