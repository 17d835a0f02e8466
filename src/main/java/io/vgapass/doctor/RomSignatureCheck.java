package io.vgapass.doctor;

import io.vgapass.host.AuthenticodeInfo;
import io.vgapass.host.GpuCandidate;
import io.vgapass.host.OptionRom;
import io.vgapass.host.SecureBootKeys;
import io.vgapass.host.VirtStack;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Whether OVMF with Secure Boot will run the card's UEFI driver (GOP): it does only when the image's Authenticode
 * signature is intact and chains to a certificate in db. Until the guest's own driver loads, that driver is the
 * only source of a picture, so an unsigned GOP, or one signed under a CA the variables template lacks (the Option
 * ROM UEFI CA 2023 in a template with only the 2011 certificates), means a black screen through boot and setup.
 */
final class RomSignatureCheck implements Check {
  static final String ID = "gpu.rom-signature";

  @Override
  public List<Finding> check(HostView v) {
    List<Finding> out = new ArrayList<>();
    for (GpuCandidate g : io.vgapass.host.GpuAnalyzer.guestCandidates(v.gpus())) {
      OptionRom rom = v.host().device(g.address()).map(d -> d.rom()).orElse(null);
      if (rom == null || !Boolean.TRUE.equals(rom.hasUefiImage())) continue;
      String gpu = "GPU " + g.address();
      // a compressed image is read after decompressing it; the evidence says so, since that is where a reading
      // could go wrong
      String file = "sys/bus/pci/devices/" + g.address() + "/rom: "
          + (rom.uefiCompressed() ? "EFI-compressed image (decompressed); " : "");
      AuthenticodeInfo sig = rom.uefiSignature();
      if (sig == null) continue; // no EFI ROM header: nothing to read (synthetic fixtures, odd cards)
      out.add(verdict(gpu, file, sig, templateKeys(v)));
    }
    return out;
  }

  private static Finding verdict(String gpu, String file, AuthenticodeInfo sig, Template t) {
    String blank = ": with Secure Boot on, OVMF will not run it, so the guest shows no picture until Windows "
        + "loads its own driver (none during boot and setup)";
    String fix = "plan the VM with --no-secure-boot, or update the card to a vBIOS whose GOP is signed under "
        + "Microsoft's Option ROM UEFI CA 2023";
    switch (sig.status()) {
      case UNSIGNED:
        return new Finding(ID, Severity.WARNING, gpu + "'s UEFI image (GOP) carries no Authenticode signature" + blank,
            file + "EFI image without a certificate table", fix);
      case DAMAGED:
        return new Finding(ID, Severity.WARNING, gpu + "'s UEFI image signature cannot be read" + blank,
            file + sig.problem(), fix);
      default:
        break;
    }
    String evidence = file + describe(sig) + "; " + t.describe();
    if (!sig.intact()) {
      return new Finding(ID, Severity.WARNING, gpu + "'s UEFI image does not match its signature (digest or "
          + "signature check fails)" + blank, evidence, fix);
    }
    List<String> cas = sig.microsoftCas();
    if (cas.isEmpty()) {
      return new Finding(ID, Severity.WARNING, gpu + "'s UEFI image is signed, but not under a Microsoft CA" + blank,
          evidence, fix);
    }
    String under = String.join(" and ", cas);
    if (t.keys() == null) {
      return new Finding(ID, Severity.INFO, gpu + "'s UEFI image is signed under " + under + "; whether the Secure "
          + "Boot template trusts that is not known (no readable template)", evidence, "nothing to do");
    }
    if (cas.stream().noneMatch(ca -> t.keys().dbHas(ca))) {
      return new Finding(ID, Severity.WARNING, gpu + "'s UEFI image is signed under " + under + ", which the "
          + "Secure Boot variables template " + t.path() + " lacks in db" + blank, evidence,
          "after plan, run vgapass firmware enroll --domain NAME (adds the 2023 certificates to the VM's own "
              + "variables), or plan with --no-secure-boot");
    }
    return Finding.ok(ID, gpu + "'s UEFI image is signed under " + under + ", which the Secure Boot template trusts",
        evidence);
  }

  private static String describe(AuthenticodeInfo sig) {
    // each chain from the signer up: "signer <- CA <- root"
    return sig.signatures().stream().map(s -> java.util.stream.Stream.concat(
            s.chain().stream().map(AuthenticodeInfo.Cert::subject),
            s.chain().stream().skip(s.chain().size() - 1).map(AuthenticodeInfo.Cert::issuer))
        .collect(Collectors.joining(" <- ")) + (s.intact() ? "" : " (does not verify)"))
        .collect(Collectors.joining("; ", "Authenticode: ", ""));
  }

  private record Template(String path, SecureBootKeys keys) {
    String describe() {
      return path == null ? "no Secure Boot template" : "template " + path + (keys == null ? ": unreadable" : "");
    }
  }

  /** The variables template a Secure Boot plan would take, with its keys when readable. */
  private static Template templateKeys(HostView v) {
    VirtStack s = v.host().virt();
    if (s == null) return new Template(null, null);
    String path = s.pick(true).map(VirtStack.Firmware::nvramTemplate).orElse(null);
    if (path == null) return new Template(null, null);
    return new Template(path, s.template(path).map(VirtStack.NvramTemplate::keys).orElse(null));
  }
}
