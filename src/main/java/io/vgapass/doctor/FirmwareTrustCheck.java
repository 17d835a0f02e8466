package io.vgapass.doctor;

import io.vgapass.host.EfiCert;
import io.vgapass.host.Host;
import io.vgapass.host.MicrosoftCerts;
import io.vgapass.host.SecureBootKeys;
import io.vgapass.host.VirtStack;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which Secure Boot keys the OVMF variables templates really hold (read from the files, not assumed
 * from a ".ms" in the name), whether the one a Windows 11 plan would use has Microsoft's 2023
 * certificates, and whether swtpm can give the guest its TPM 2.0.
 */
final class FirmwareTrustCheck implements Check {
  @Override
  public List<Finding> check(HostView v) {
    Host h = v.host();
    VirtStack s = h.virt();
    List<Finding> out = new ArrayList<>();
    if (!s.firmware().isEmpty()) trust(h, s).ifPresent(out::add);
    if (s.swtpm() != null) {
      out.add(Finding.ok("virt.swtpm", "swtpm is installed (a TPM 2.0 for Windows 11 guests)", s.swtpm() + ": present"));
    } else {
      out.add(new Finding("virt.swtpm", Severity.INFO,
          "swtpm is not installed: no emulated TPM 2.0, which Windows 11 requires",
          "usr/bin/swtpm: absent", Fixes.install(h, "swtpm")));
    }
    return out;
  }

  /** The verdict on the template a Secure Boot (Windows 11) plan would take, with every template's keys as evidence. */
  private static Optional<Finding> trust(Host h, VirtStack s) {
    String evidence = s.nvramTemplates().isEmpty() ? "no firmware entry names a variables template"
        : s.nvramTemplates().stream().map(FirmwareTrustCheck::describe).collect(Collectors.joining(" | "));
    Optional<VirtStack.Firmware> pick = s.pick(true);
    if (pick.isEmpty()) {
      return Optional.of(new Finding("firmware.secureboot-keys", Severity.INFO,
          "no Secure Boot capable OVMF: a Windows 11 guest would run without Secure Boot",
          "no firmware descriptor with the secure-boot feature; " + evidence,
          Fixes.install(h, "ovmf")));
    }
    String path = pick.get().nvramTemplate();
    Optional<VirtStack.NvramTemplate> t = path == null ? Optional.empty() : s.template(path);
    String used = "a Secure Boot plan uses " + (pick.get().descriptor() == null ? "" : pick.get().descriptor() + " -> ")
        + path + "; ";
    if (t.isEmpty() || t.get().keys() == null) {
      return Optional.of(new Finding("firmware.secureboot-keys", Severity.INFO,
          "could not read the Secure Boot variables template" + (path == null ? "" : " " + path)
              + ": its keys are unknown",
          used + evidence, Fixes.install(h, "ovmf") + " (reinstall: the template may be damaged)"));
    }
    SecureBootKeys k = t.get().keys();
    List<String> missing = Stream.concat(
        MicrosoftCerts.KEK_2023_SET.stream().filter(n -> !k.kekHas(n)).map(n -> "KEK: " + n),
        MicrosoftCerts.DB_2023_SET.stream().filter(n -> !k.dbHas(n)).map(n -> "db: " + n)).toList();
    if (missing.isEmpty()) {
      return Optional.of(Finding.ok("firmware.secureboot-keys",
          "the Secure Boot variables template holds Microsoft's 2023 certificates", used + evidence));
    }
    String what = k.empty() ? "holds no Secure Boot keys at all (Secure Boot stays off until keys are enrolled)"
        : "lacks Microsoft's 2023 certificates (" + String.join(", ", missing) + ")";
    return Optional.of(new Finding("firmware.secureboot-keys", Severity.WARNING,
        "the Secure Boot variables template " + path + " " + what + ": the guest cannot take Microsoft's "
            + "Secure Boot updates (signed with the 2023 KEK since the KEK CA 2011 expired in June 2026), and "
            + "boot media, boot managers and option ROMs signed only under the 2023 CAs will not boot",
        used + evidence,
        Fixes.install(h, "ovmf") + " from a release whose Microsoft-enrolled template has the 2023 keys; "
            + "or add them to the VM's own variables: vgapass firmware enroll --domain NAME (see docs/firmware.md)"));
  }

  /** "PATH: PK [..]; KEK [..]; db [..], N hashes; dbx N", Microsoft's certificates by name. */
  private static String describe(VirtStack.NvramTemplate t) {
    if (t.keys() == null) return t.path() + ": unreadable (" + t.error() + ")";
    SecureBootKeys k = t.keys();
    if (k.empty()) return t.path() + ": no keys";
    return t.path() + ": PK " + names(k.pk()) + "; KEK " + names(k.kek()) + "; db " + names(k.db())
        + (k.dbHashes() > 0 ? " + " + k.dbHashes() + " hashes" : "") + "; dbx " + k.dbx() + " entries";
  }

  private static String names(List<EfiCert> certs) {
    return certs.stream().map(c -> c.microsoft() != null ? c.microsoft() : c.subjectCn())
        .collect(Collectors.joining(", ", "[", "]"));
  }
}
