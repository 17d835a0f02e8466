package io.vgapass.doctor;

import io.vgapass.host.Security;
import java.util.ArrayList;
import java.util.List;

/** SELinux enforcing (Fedora) has two known traps for passthrough VMs: hugepage mounts and sound. */
final class SelinuxCheck implements Check {
  @Override
  public List<Finding> check(HostView v) {
    List<Finding> out = new ArrayList<>();
    if (v.host().security().selinux() != Security.SelinuxMode.ENFORCING) return out;
    String evidence = "sys/fs/selinux/enforce: 1";
    out.add(new Finding("selinux.hugepages", Severity.INFO,
        "SELinux is enforcing: QEMU may only use hugetlbfs mounts labelled hugetlbfs_t; a hand-made mount "
            + "(e.g. for 1 GiB pages) makes the VM fail to start with \"Permission denied\"",
        evidence, "mount extra hugetlbfs with -o pagesize=1G,context=system_u:object_r:hugetlbfs_t:s0, or use "
            + "the default /dev/hugepages (vgapass's hooks do)"));
    out.add(new Finding("selinux.sound", Severity.WARNING,
        "SELinux is enforcing: QEMU (svirt_t) is denied the desktop user's PulseAudio/PipeWire socket, so "
            + "guest sound stays silent",
        evidence, "after one VM start with sound, as root: " + Security.SOUND_POLICY_FIX));
    return out;
  }
}
