package io.vgapass.doctor;

import io.vgapass.host.Host;
import io.vgapass.host.SharedMemoryFile;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looking Glass, for the domains whose vgapass metadata plans it: the kvmfr module, libvirt's device list, who may
 * open the shared memory, and its size against the planned resolution. The domains and the files are read by the
 * caller (they are not part of the Host model), so this stays a function of what it is given.
 */
public final class LookingGlassCheck implements Check {
  private static final Pattern ACL = Pattern.compile("(?m)^[ \\t]*cgroup_device_acl[ \\t]*=[ \\t]*\\[([^\\]]*)\\]");
  private static final String SETUP = "sudo vgapass looking-glass setup --resolution ";

  /**
   * One domain that asks for Looking Glass.
   *
   * @param requiredMiB what the planned resolution needs (Looking Glass's rule)
   * @param domainMiB the {@code <shmem>} size the domain really has (IVSHMEM), or null (kvmfr, or none found)
   */
  public record Domain(String name, String resolution, boolean hdr, boolean kvmfr, int requiredMiB,
      Integer domainMiB) {}

  /**
   * What the host shows.
   *
   * @param kvmfrStaticSizeMb sys/module/kvmfr/parameters/static_size_mb (first device), null when not loaded
   * @param qemuConf etc/libvirt/qemu.conf, or null
   */
  public record Facts(SharedMemoryFile kvmfrDevice, SharedMemoryFile shmFile, Integer kvmfrStaticSizeMb,
      String qemuConf) {}

  private final List<Domain> domains;
  private final Facts facts;

  public LookingGlassCheck(List<Domain> domains, Facts facts) {
    this.domains = List.copyOf(domains);
    this.facts = facts;
  }

  @Override
  public List<Finding> check(HostView view) {
    List<Finding> out = new ArrayList<>();
    for (Domain d : domains) out.addAll(d.kvmfr() ? kvmfr(view.host(), d) : ivshmem(view.host(), d));
    return out;
  }

  private List<Finding> kvmfr(Host h, Domain d) {
    List<Finding> out = new ArrayList<>();
    String setup = SETUP + d.resolution() + (d.hdr() ? " --hdr" : "");
    String who = d.name() + " (Looking Glass, " + d.resolution() + (d.hdr() ? " HDR" : "") + ")";
    if (!h.kernel().kvmfr()) {
      out.add(new Finding("looking-glass.kvmfr", Severity.ERROR, who + " maps /dev/kvmfr0, but the kvmfr module "
          + "is not installed", "lib/modules/*/{updates/dkms,extra}: no kvmfr.ko; proc/modules: no kvmfr",
          "install Looking Glass's kvmfr module (DKMS), or tune the domain again for IVSHMEM: vgapass vm tune "
              + "--domain " + d.name() + " --looking-glass --resolution " + d.resolution()));
      return out;
    }
    if (!h.kernel().hasModule("kvmfr")) {
      out.add(new Finding("looking-glass.kvmfr", Severity.ERROR, "the kvmfr module is installed but not loaded: "
          + d.name() + " cannot start", "proc/modules: no kvmfr", setup + " (loads it at boot), then modprobe kvmfr"));
    } else {
      out.add(Finding.ok("looking-glass.kvmfr", "the kvmfr module is loaded for " + d.name(), "proc/modules: kvmfr"));
      Integer mb = facts.kvmfrStaticSizeMb();
      if (mb != null && mb < d.requiredMiB()) {
        out.add(new Finding("looking-glass.size", Severity.ERROR, "/dev/kvmfr0 holds " + mb + " MiB; " + who
            + " needs " + d.requiredMiB() + " MiB", "sys/module/kvmfr/parameters/static_size_mb: " + mb,
            setup + ", then with the VM off: modprobe -r kvmfr && modprobe kvmfr"));
      } else if (mb != null) {
        out.add(Finding.ok("looking-glass.size", "/dev/kvmfr0 holds " + mb + " MiB, enough for " + who,
            "sys/module/kvmfr/parameters/static_size_mb: " + mb));
      }
    }
    if (facts.qemuConf() != null) {
      Matcher m = ACL.matcher(facts.qemuConf());
      boolean listed = m.find() && m.group(1).contains("\"/dev/kvmfr0\"");
      if (!listed) {
        out.add(new Finding("looking-glass.cgroup-acl", Severity.ERROR, "libvirt's cgroup keeps QEMU from "
            + "/dev/kvmfr0: " + d.name() + " fails to start", "etc/libvirt/qemu.conf: cgroup_device_acl "
            + (m.find(0) ? "does not list /dev/kvmfr0" : "not set (libvirt's default list)"),
            setup + ", then systemctl restart libvirtd"));
      } else {
        out.add(Finding.ok("looking-glass.cgroup-acl", "libvirt lets QEMU open /dev/kvmfr0",
            "etc/libvirt/qemu.conf: cgroup_device_acl lists it"));
      }
    }
    if (facts.kvmfrDevice().exists()) out.add(access(h, facts.kvmfrDevice(), setup + " (the udev rule)"));
    return out;
  }

  private List<Finding> ivshmem(Host h, Domain d) {
    List<Finding> out = new ArrayList<>();
    String setup = SETUP + d.resolution() + (d.hdr() ? " --hdr" : "");
    String who = d.name() + " (Looking Glass, " + d.resolution() + (d.hdr() ? " HDR" : "") + ")";
    if (d.domainMiB() == null) {
      out.add(new Finding("looking-glass.size", Severity.WARNING, who + " has no <shmem name='looking-glass'>",
          "domain " + d.name() + ": no shmem device", "vgapass vm tune --domain " + d.name() + " --looking-glass "
              + "--resolution " + d.resolution()));
    } else if (d.domainMiB() < d.requiredMiB()) {
      out.add(new Finding("looking-glass.size", Severity.ERROR, who + " shares " + d.domainMiB() + " MiB but needs "
          + d.requiredMiB() + " MiB: the client shows no frames", "domain " + d.name() + ": <shmem name='looking-glass'>"
          + " size " + d.domainMiB() + " MiB", "vgapass vm tune --domain " + d.name() + " --looking-glass --resolution "
          + d.resolution() + (d.hdr() ? " --hdr" : "")));
    } else {
      out.add(Finding.ok("looking-glass.size", who + " shares " + d.domainMiB() + " MiB, enough",
          "domain " + d.name() + ": <shmem name='looking-glass'> size " + d.domainMiB() + " MiB"));
    }
    if (facts.shmFile().exists()) {
      out.add(access(h, facts.shmFile(), setup + " (the tmpfiles rule), then remove the file with the VM off"));
    } else {
      out.add(new Finding("looking-glass.access", Severity.INFO, "/dev/shm/looking-glass does not exist yet: QEMU "
          + "creates it as its own user unless a tmpfiles rule made it for the desktop user first",
          "dev/shm/looking-glass: absent", setup));
    }
    return out;
  }

  /** The desktop user must read and write it: as owner, or through the world bits (the group is QEMU's). */
  private static Finding access(Host h, SharedMemoryFile f, String fix) {
    String evidence = f.path().substring(1) + ": " + (f.uid() < 0 ? "owner unknown" : "uid " + f.uid() + ", gid "
        + f.gid() + ", owner " + (f.ownerAccess() ? "rw" : "not rw") + ", group " + (f.groupAccess() ? "rw" : "not rw"));
    if (f.uid() < 0) {
      return new Finding("looking-glass.access", Severity.INFO, "cannot tell who may open " + f.path(), evidence, fix);
    }
    Integer user = h.desktopUser() == null ? null : h.desktopUser().uid();
    boolean ok = f.otherAccess() || user != null && f.uid() == user && f.ownerAccess();
    String name = h.desktopUser() == null ? "the desktop user" : h.desktopUser().name();
    return ok ? Finding.ok("looking-glass.access", name + " may open " + f.path(), evidence)
        : new Finding("looking-glass.access", Severity.WARNING, name + " may not open " + f.path()
            + ": the Looking Glass client fails", evidence, fix);
  }
}
