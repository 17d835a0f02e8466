package io.vgapass.domain;

import io.vgapass.host.VirtStack;
import io.vgapass.plan.Firmware;
import io.vgapass.plan.Plan;

/**
 * What a Windows guest on q35 + OVMF wants: UEFI firmware, Hyper-V enlightenments, a stable
 * clock, no balloon. Only for new domains; {@code --nvidia-hide-kvm} also applies on tune.
 */
final class GuestFeaturesTuner implements Tuner {
  private static final String SMM_STATE = DomainPaths.SMM_STATE;
  private static final String SECURE_BOOT_ENABLED = DomainPaths.SECURE_BOOT_FEATURE;
  @Override
  public void tune(XmlDoc doc, Plan plan, TuneScope scope, Ownership owned) {
    if (scope.firmware() && !scope.guestFeatures()) {
      // vm tune --secure-boot/--no-secure-boot: the firmware is chosen again; the domain's own boot order stays
      doc.remove(DomainPaths.OS_FIRMWARE);
      doc.remove(DomainPaths.OS_FIRMWARE_FEATURES);
      doc.remove(DomainPaths.OS_LOADER);
      doc.remove(DomainPaths.NVRAM);
      os(doc, plan.firmware(), plan.name());
    }
    if (scope.guestFeatures()) {
      doc.set(DomainPaths.OS_TYPE, "hvm");
      doc.set(DomainPaths.OS_ARCH, "x86_64");
      doc.set(DomainPaths.OS_MACHINE, "q35");
      os(doc, plan.firmware(), plan.name());
      // the install media's CD-ROM entry, when there is one, stays before it (InstallMediaTuner)
      if (!doc.exists("./os/boot[@dev='hd']")) doc.add("./os/boot[@dev='hd']");
      doc.ensure("./features/acpi");
      doc.ensure("./features/apic");
      hyperv(doc, plan.libvirtVersion());
      doc.set("./features/vmport/@state", "off");
      doc.set("./clock/@offset", "localtime");
      doc.set("./clock/timer[@name='rtc']/@tickpolicy", "catchup");
      doc.set("./clock/timer[@name='pit']/@tickpolicy", "delay");
      doc.set("./clock/timer[@name='hpet']/@present", "no");
      doc.set("./clock/timer[@name='hypervclock']/@present", "yes");
      doc.set("./pm/suspend-to-mem/@enabled", "no");
      doc.set("./pm/suspend-to-disk/@enabled", "no");
      doc.set(DomainPaths.MEMBALLOON_MODEL, "none");
    }
    if (scope.hideKvm() && plan.nvidiaHideKvm()) {
      // NVIDIA drivers before 465 refuse to run (Code 43) when they see a hypervisor
      doc.set("./features/hyperv/vendor_id/@state", "on");
      doc.set("./features/hyperv/vendor_id/@value", "vgapass00000");
      doc.set("./features/kvm/hidden/@state", "on");
    }
  }

  private static void os(XmlDoc doc, Firmware fw, String name) {
    if (fw.loader() == null) {
      doc.set(DomainPaths.OS_FIRMWARE, "efi");
      if (fw.secureBoot()) {
        // ask libvirt's firmware selection for a secure-boot build with keys enrolled (Windows 11), which needs SMM
        doc.set(DomainPaths.ENROLLED_KEYS_FEATURE, "yes");
        doc.set(SECURE_BOOT_ENABLED, "yes");
        doc.set(SMM_STATE, "on");
      } else {
        doc.set(SECURE_BOOT_ENABLED, "no");
      }
    } else {
      doc.set(DomainPaths.OS_LOADER, fw.loader());
      doc.set("./os/loader/@readonly", "yes");
      doc.set("./os/loader/@type", "pflash");
      if (fw.secureBoot()) {
        doc.set(DomainPaths.OS_LOADER_SECURE, "yes");
        doc.set(SMM_STATE, "on");
      }
      if (fw.nvramTemplate() != null) {
        doc.set(DomainPaths.NVRAM, "/var/lib/libvirt/qemu/nvram/" + name + "_VARS.fd");
        doc.set(DomainPaths.NVRAM_TEMPLATE, fw.nvramTemplate());
      }
    }
  }

  /**
   * The enlightenments the host's libvirt knows: libvirt refuses a domain naming one it does not (frequencies and
   * tlbflush came with 4.7.0, ipi with 4.10.0; the reference machine's Fedora 27 has 3.7.0). Unknown version: all.
   */
  private static void hyperv(XmlDoc doc, String libvirt) {
    String h = "./features/hyperv/";
    for (String f : new String[] {"relaxed", "vapic", "vpindex", "runtime", "synic", "reset"}) {
      doc.set(h + f + "/@state", "on");
    }
    if (libvirt == null || VirtStack.versionAtLeast(libvirt, 4, 7)) {
      doc.set(h + "frequencies/@state", "on");
      doc.set(h + "tlbflush/@state", "on");
    }
    if (libvirt == null || VirtStack.versionAtLeast(libvirt, 4, 10)) doc.set(h + "ipi/@state", "on");
    doc.set(h + "spinlocks/@state", "on");
    doc.set(h + "spinlocks/@retries", "8191");
    doc.set(h + "stimer/@state", "on");
  }
}
