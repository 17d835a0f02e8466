package io.vgapass.verify;

import io.vgapass.domain.DomainPaths;
import io.vgapass.domain.XmlDoc;
import io.vgapass.domain.XmlNode;
import io.vgapass.host.EfiCert;
import io.vgapass.host.EfiVarStore;
import io.vgapass.host.MicrosoftCerts;
import io.vgapass.host.SecureBootKeys;
import io.vgapass.host.SysRoot;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What Windows 11 asks of a running VM, proven from the host: its TPM 2.0 (the domain's live XML and the swtpm
 * process libvirt started for it) and Secure Boot (the loader libvirt resolved is the secure build, SMM is on, and
 * the domain's own variable file holds a platform key, so the firmware enforces signatures; which Microsoft
 * certificates KEK and db hold is read from the file). A check appears only for what the domain has or asks for.
 */
public final class GuestTrustCheck {
  /** OVMF's switch for Secure Boot (SecureBootConfigDxe), beside the keys. */
  private static final String SECURE_BOOT_ENABLE = "SecureBootEnable";
  private static final int MAX_CMDLINE = 64 * 1024;

  private final SysRoot root;

  public GuestTrustCheck(SysRoot root) {
    this.root = root;
  }

  /** The tpm and secure-boot checks of the domain {@code name}, from its live XML. */
  public List<VerifyCheck> check(XmlDoc live, String name) {
    List<VerifyCheck> out = new ArrayList<>();
    XmlNode tpm = live.find(DomainPaths.TPM);
    if (tpm != null) out.add(tpm(tpm, live.get("./uuid"), name));
    boolean asksSecureBoot = "yes".equals(live.get(DomainPaths.OS_LOADER_SECURE))
        || "yes".equals(live.get(DomainPaths.SECURE_BOOT_FEATURE));
    if (asksSecureBoot) out.add(secureBoot(live));
    return out;
  }

  private VerifyCheck tpm(XmlNode tpm, String uuid, String name) {
    String model = Optional.ofNullable(tpm.get("./@model")).orElse("tpm-tis");
    String type = tpm.get("./backend/@type");
    String version = Optional.ofNullable(tpm.get("./backend/@version")).orElse("1.2"); // libvirt's default
    if (!"emulator".equals(type)) {
      return new VerifyCheck("tpm", false, model + " with a " + type + " backend: vgapass checks the swtpm emulator "
          + "only (plan gives <backend type='emulator' version='2.0'/>)");
    }
    if (!"2.0".equals(version)) {
      return new VerifyCheck("tpm", false, model + " emulates TPM " + version + "; Windows 11 needs 2.0 "
          + "(vgapass vm tune --domain " + name + " --no-tpm, then --tpm)");
    }
    Optional<String> swtpm = swtpmFor(uuid, name);
    if (swtpm.isEmpty()) {
      return new VerifyCheck("tpm", false, model + " TPM 2.0 in the live XML, but no swtpm process for " + name
          + " (uuid " + uuid + ") under /proc: the guest has no working TPM");
    }
    return new VerifyCheck("tpm", true, model + " TPM 2.0, emulated by " + swtpm.get());
  }

  /** "swtpm pid N (--tpm2)" for the emulator whose state or socket names this domain. */
  private Optional<String> swtpmFor(String uuid, String name) {
    for (String entry : root.list("proc")) {
      if (!entry.chars().allMatch(Character::isDigit)) continue;
      byte[] raw = root.bytesAt(root.resolve("proc/" + entry + "/cmdline"), MAX_CMDLINE);
      if (raw.length == 0) continue;
      String[] argv = new String(raw, StandardCharsets.UTF_8).split("\0");
      String exe = argv[0].substring(argv[0].lastIndexOf('/') + 1);
      if (!exe.equals("swtpm")) continue;
      String args = String.join(" ", argv);
      boolean ours = uuid != null && args.contains("/" + uuid + "/") || args.contains("-" + name + "-swtpm.sock");
      if (ours && args.contains("--tpm2")) return Optional.of("swtpm pid " + entry + " (--tpm2)");
    }
    return Optional.empty();
  }

  private VerifyCheck secureBoot(XmlDoc live) {
    String loader = live.get(DomainPaths.OS_LOADER);
    if (!"yes".equals(live.get(DomainPaths.OS_LOADER_SECURE))) {
      return new VerifyCheck("secure-boot", false, "the domain asks for Secure Boot, but libvirt resolved the loader "
          + loader + " without secure='yes': the firmware does not enforce it");
    }
    if (!"on".equals(live.get(DomainPaths.SMM_STATE))) {
      return new VerifyCheck("secure-boot", false, "the secure loader " + loader + " without SMM: the variable store "
          + "is not protected from the guest (features/smm state='on')");
    }
    String nvram = live.get(DomainPaths.NVRAM);
    if (nvram == null || !nvram.startsWith("/")) {
      return new VerifyCheck("secure-boot", false, "loader " + loader + " is secure, but the live XML names no "
          + "variable file (os/nvram)");
    }
    byte[] file = root.bytesAt(root.resolve(nvram), EfiVarStore.MAX_SIZE);
    if (file.length == 0) {
      return new VerifyCheck("secure-boot", false, nvram + ": cannot be read (missing, not a file, or larger than "
          + EfiVarStore.MAX_SIZE / (1024 * 1024) + " MiB)");
    }
    SecureBootKeys keys;
    Boolean enabled;
    try {
      keys = EfiVarStore.keys(file);
      enabled = EfiVarStore.variables(file).stream().filter(v -> v.name().equals(SECURE_BOOT_ENABLE))
          .findFirst().map(v -> v.data().length > 0 && v.data()[0] == 1).orElse(null);
    } catch (EfiVarStore.Malformed e) {
      return new VerifyCheck("secure-boot", false, nvram + ": not a readable UEFI variable store (" + e.getMessage()
          + ")");
    }
    if (keys.pk().isEmpty()) {
      return new VerifyCheck("secure-boot", false, nvram + " holds no platform key (PK): the firmware is in setup "
          + "mode and boots unsigned code; start once with virsh start --reset-nvram to copy the enrolled template");
    }
    if (Boolean.FALSE.equals(enabled)) {
      return new VerifyCheck("secure-boot", false, nvram + ": SecureBootEnable is 0 (switched off in the firmware "
          + "setup); switch it on there, or start once with virsh start --reset-nvram");
    }
    return new VerifyCheck("secure-boot", true, "loader " + loader + " secure, SMM on; " + nvram + ": "
        + (enabled == null ? "" : "SecureBootEnable 1, ") + "PK " + names(keys.pk()) + "; KEK " + names(keys.kek())
        + "; db " + names(keys.db()) + (has2023(keys) ? "" : " (no 2023 Microsoft certificates: see vgapass doctor, "
        + "firmware.secureboot-keys)"));
  }

  private static String names(List<EfiCert> certs) {
    if (certs.isEmpty()) return "(none)";
    return String.join(", ", certs.stream().map(c -> c.microsoft() != null ? c.microsoft() : c.subjectCn()).toList());
  }

  private static boolean has2023(SecureBootKeys k) {
    return k.kekHas(MicrosoftCerts.KEK_2023) && k.dbHas(MicrosoftCerts.WINDOWS_2023);
  }
}
