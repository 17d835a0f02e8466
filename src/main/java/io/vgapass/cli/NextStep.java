package io.vgapass.cli;

import io.vgapass.host.SysRoot;
import io.vgapass.libvirt.DomainInfo;
import io.vgapass.libvirt.LibvirtPort;
import java.io.PrintWriter;

/**
 * The one line a command ends with when there is a next step: "next: " and the exact command to run on this host, so
 * a newcomer is led from one step to the next. One helper, so every command words it the same way.
 */
final class NextStep {
  static final String PREFIX = "next: ";

  private NextStep() {}

  /** The line for these steps in order, e.g. {@code next: A, then B}. */
  static String line(String... steps) {
    return PREFIX + String.join(", then ", steps);
  }

  /** Prints {@link #line} on the command's output. */
  static void print(PrintWriter out, String... steps) {
    out.println(line(steps));
  }

  /**
   * A vgapass command as the user types it on this root: with sudo on the live host (the command changes it), with
   * {@code --sysroot} on a rehearsal root (so the next command acts on the same tree).
   */
  static String vgapass(SysRoot root, String args) {
    if (root == null || root.isLive()) return "sudo vgapass " + args;
    return "vgapass " + args + " --sysroot " + root.root();
  }

  /**
   * The step that brings a redefined domain's new definition into effect: a running domain keeps its old one until it
   * starts again, so it is stopped first.
   */
  static String start(LibvirtPort port, String name) {
    boolean running = port.domain(name).map(DomainInfo::active).orElse(false);
    return running ? vgapass("vm stop " + name) + " and " + vgapass("vm start " + name) : vgapass("vm start " + name);
  }

  /** A vgapass command against libvirt: sudo, since the system connection needs root (or the libvirt group). */
  static String vgapass(String args) {
    return "sudo vgapass " + args;
  }
}
