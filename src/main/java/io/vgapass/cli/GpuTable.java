package io.vgapass.cli;

import io.vgapass.doctor.Doctor;
import io.vgapass.doctor.SingleGpuVerdict;
import io.vgapass.host.GpuAnalyzer;
import io.vgapass.host.GpuCandidate;
import io.vgapass.report.PciIds;
import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;

/**
 * doctor's GPU table: one row per display device, the card named (from pci.ids when the host has it, as the report
 * does), and every cell kept within its column, so a card in a group list of ten still lines up with the others.
 */
final class GpuTable {
  static final int CARD = 30;
  static final int DRIVER = 14;
  static final int GROUP = 8;
  private static final String ROW = "  %-13s %-10s %-" + CARD + "s %-" + DRIVER + "s %-5s %-" + GROUP + "s %-9s %s%n";

  private GpuTable() {}

  /** With {@code single} (null unless the host has one card): a card that can go in single-GPU mode says so. */
  static void render(Doctor.Report r, PciIds ids, SingleGpuVerdict single, PrintWriter out) {
    boolean predicted = r.host().iommu().groupsPredicted();
    out.printf(ROW, "ADDRESS", "IDS", "CARD", "DRIVER", "BOOT", "GROUP", "ISOLATED", "VERDICT");
    for (GpuCandidate g : r.gpus()) {
      out.printf(ROW, g.address(), g.ids(), fit(name(g, ids), CARD), fit(g.driver() == null ? "-" : g.driver(), DRIVER),
          g.bootVga() == null ? "?" : g.bootVga() ? "yes" : "no", groups(g.groups(), predicted, GROUP),
          g.isolated() ? "yes" : "no", verdict(g, r.gpus(), single));
    }
  }

  /** The boot VGA the host keeps while another card goes to the guest is the host's display, whatever its group. */
  static boolean hostDisplay(GpuCandidate g, List<GpuCandidate> all) {
    List<GpuCandidate> guest = GpuAnalyzer.guestCandidates(all);
    return Boolean.TRUE.equals(g.bootVga()) && !guest.isEmpty() && !guest.contains(g);
  }

  static String verdict(GpuCandidate g, List<GpuCandidate> all, SingleGpuVerdict single) {
    return hostDisplay(g, all) ? "host display" : g.passable() ? "passable"
        : g.plannable() ? "passable after host prep"
        : single != null && single.plannable() ? "single-GPU mode" : "not passable";
  }

  /** "NVIDIA GeForce GTX 1060 6GB": the marketing name in pci.ids' brackets, else its whole entry, else the vendor. */
  static String name(GpuCandidate g, PciIds ids) {
    String[] vd = g.ids().split(":");
    String device = vd.length == 2 ? ids.deviceName(vd[0], vd[1]) : null;
    if (device == null) return g.vendor();
    int open = device.lastIndexOf('[');
    int close = device.lastIndexOf(']');
    String shown = open >= 0 && close > open ? device.substring(open + 1, close) : device;
    return g.vendor() + " " + shown;
  }

  /** The text cut to the column's width, the cut marked. */
  static String fit(String s, int width) {
    return s.length() <= width ? s : s.substring(0, width - 1) + "~";
  }

  /** The groups that fit, then "+N" for the rest (doctor's gpu.* lines list them all). */
  static String groups(List<Integer> groups, boolean predicted, int width) {
    if (groups.isEmpty()) return "?";
    String mark = predicted ? "*" : "";
    String all = join(groups) + mark;
    if (all.length() <= width) return all;
    for (int shown = groups.size() - 1; shown >= 1; shown--) {
      String s = join(groups.subList(0, shown)) + ",+" + (groups.size() - shown) + mark;
      if (s.length() <= width) return s;
    }
    return fit(groups.get(0) + "+" + (groups.size() - 1) + mark, width);
  }

  private static String join(List<Integer> groups) {
    return groups.stream().map(String::valueOf).collect(Collectors.joining(","));
  }
}
