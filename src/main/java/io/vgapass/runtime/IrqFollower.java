package io.vgapass.runtime;

import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts irq-follow.sh (beside this class) for a VM under the deep shield: a detached shell that moves the IRQs of
 * the VM's own devices to its CPUs as vfio creates them, and ends with QEMU. Detached (setsid -f, every stream on
 * /dev/null) because libvirt waits for its hook's output to close before it goes on with the start.
 */
final class IrqFollower {
  static final String SCRIPT = resource();

  private IrqFollower() {}

  private static String resource() {
    try (InputStream in = IrqFollower.class.getResourceAsStream("irq-follow.sh")) {
      if (in == null) throw new IllegalStateException("the jar lacks io/vgapass/runtime/irq-follow.sh (rebuild vgapass)");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The command that runs the follower in the foreground (tests run it so; {@link #start} detaches it). */
  static List<String> command(SysRoot root, String domain, String stateFile, String guestCpus, List<String> hostdevs) {
    List<String> c = new ArrayList<>(List.of("sh", "-c", SCRIPT, "vgapass-irq-follow",
        root.isLive() ? "" : root.resolve("").toString(), stateFile,
        root.resolve("run/libvirt/qemu/" + domain + ".pid").toString(), guestCpus));
    c.addAll(hostdevs);
    return c;
  }

  /** Starts the follower in its own session, or says why not. */
  static String start(Commands commands, SysRoot root, String domain, String stateFile, String guestCpus,
      List<String> hostdevs) {
    if (hostdevs.isEmpty()) return "no passed-through devices to follow";
    List<String> c = new ArrayList<>(List.of("setsid", "-f", "sh", "-c", "exec \"$@\" </dev/null >/dev/null 2>&1",
        "vgapass-irq-follow"));
    c.addAll(command(root, domain, stateFile, guestCpus, hostdevs));
    return commands.run(c) == 0 ? "the VM's device IRQs follow CPUs " + guestCpus
        : "could not start the IRQ follower (setsid): the VM's device IRQs stay where the kernel puts them";
  }
}
