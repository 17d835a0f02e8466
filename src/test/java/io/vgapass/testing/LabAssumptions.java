package io.vgapass.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Guard for integration tests that need the real lab: root, a running libvirtd with QEMU.
 *
 * <p>Without {@code -Dvgapass.it=true} such tests are skipped. With it, a missing lab is a
 * failure, not a skip, so that CI ({@code scripts/test-all.sh}) cannot pass by silently
 * skipping everything.
 */
public final class LabAssumptions {
  /** System property that turns the integration tests on. */
  public static final String IT_PROPERTY = "vgapass.it";
  /** The libvirt connection the integration tests use. */
  public static final String LIBVIRT_URI = "qemu:///system";

  private static final String FIX = "run scripts/test-all.sh (as root), or drop -D" + IT_PROPERTY + "=true";
  private static volatile String problem; // null: not probed yet; "": lab is fine

  private LabAssumptions() {}

  /** True when integration tests were asked for ({@code -Dvgapass.it=true}). */
  public static boolean enabled() {
    return Boolean.parseBoolean(System.getProperty(IT_PROPERTY, "false"));
  }

  /**
   * Skips the calling test unless {@code vgapass.it=true}; when it is, fails loudly if the lab
   * is not usable (not root, or libvirtd not answering on {@value #LIBVIRT_URI}).
   */
  public static void assumeLab() {
    assumeTrue(enabled(), "integration test: needs -D" + IT_PROPERTY + "=true (scripts/test-all.sh)");
    String p = problem;
    if (p == null) {
      p = probe();
      problem = p;
    }
    if (!p.isEmpty()) {
      fail(IT_PROPERTY + "=true but the lab is not ready: " + p + "; " + FIX);
    }
  }

  private static String probe() {
    if (!isRoot()) {
      return "the integration tests must run as root (they start VMs and allocate hugepages)";
    }
    Cmd.Result r = Cmd.run(Duration.ofSeconds(20), "virsh", "-c", LIBVIRT_URI, "version");
    if (!r.ok()) {
      return "libvirtd is not reachable: 'virsh -c " + LIBVIRT_URI + " version' exited " + r.exit()
          + ": " + r.err().strip();
    }
    return "";
  }

  /** Whether this JVM runs with effective uid 0 (read from /proc/self/status). */
  public static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          String[] f = line.substring(4).trim().split("\\s+");
          return f.length > 1 && f[1].equals("0");
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }
}
