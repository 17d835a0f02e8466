package io.vgapass.doctor;

import io.vgapass.host.CardPolicy;
import io.vgapass.host.GpuAnalyzer;
import io.vgapass.host.GpuCandidate;
import io.vgapass.host.OptionRom;
import io.vgapass.host.PciDevice;
import java.util.ArrayList;
import java.util.List;

/** OVMF can only initialise a card whose option ROM carries a UEFI (code type 3) image. */
final class OptionRomCheck implements Check {
  @Override
  public List<Finding> check(HostView v) {
    List<Finding> out = new ArrayList<>();
    for (GpuCandidate g : GpuAnalyzer.guestCandidates(v.gpus())) {
      PciDevice d = v.host().device(g.address()).orElseThrow();
      String file = "sys/bus/pci/devices/" + g.address() + "/rom";
      OptionRom rom = d.rom();
      if (rom == null) {
        out.add(new Finding("gpu.rom-uefi", Severity.INFO, "GPU " + g.address() + " exposes no option ROM file",
            file + ": absent", "nothing to do for most cards; if the guest shows no picture at boot, "
                + "give the VM a ROM dump with <rom file='...'/>"));
      } else if (!rom.readable()) {
        out.add(new Finding("gpu.rom-uefi", Severity.INFO, "GPU " + g.address() + ": UEFI support of its ROM is "
            + "unknown", file + ": " + rom.note(), "run sudo vgapass doctor (root can read the ROM)"));
      } else if (Boolean.TRUE.equals(rom.hasUefiImage())) {
        out.add(Finding.ok("gpu.rom-uefi", "GPU " + g.address() + " has a UEFI option ROM (OVMF can drive it)",
            file + ": image code types " + rom.codeTypes()));
      } else {
        out.add(new Finding("gpu.rom-uefi", Severity.WARNING, "GPU " + g.address() + "'s option ROM has no UEFI "
            + "image: OVMF (UEFI) guests will show nothing until the guest driver loads",
            file + ": image code types " + rom.codeTypes() + (rom.note() == null ? "" : " (" + rom.note() + ")"),
            "update the card's firmware to a UEFI-capable (GOP) version from its vendor, or give the VM a "
                + "UEFI-capable ROM with <rom file='/path/gop.rom'/>"));
      }
      Finding advice = romBarAdvice(g);
      if (advice != null) out.add(advice);
    }
    return out;
  }

  /** The card family table's ROM BAR advice, when its row has any. */
  private static Finding romBarAdvice(GpuCandidate g) {
    CardPolicy p = g.cardPolicy();
    if (p == null || p.romBar() == CardPolicy.RomBar.NONE) return null;
    String evidence = p.describe();
    return switch (p.romBar()) {
      case HIDE -> new Finding("gpu.rom-bar", Severity.INFO, "GPU " + g.address() + " (" + p.family() + ") works "
          + "best with its ROM BAR hidden from the guest", evidence,
          "nothing to do: vgapass plan gives its hostdev <rom bar='off'/>");
      case NEED_ROM_FILE -> new Finding("gpu.rom-bar", Severity.INFO, "GPU " + g.address() + " (" + p.family()
          + ") needs a ROM file for the guest", evidence,
          "dump the card's ROM (or take the vendor's) and give the VM <rom file='/path/card.rom'/>");
      default -> null;
    };
  }
}
