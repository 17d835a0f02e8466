package io.vgapass.it;

import static io.vgapass.testing.Cmd.virsh;
import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.cli.CliRunner;
import io.vgapass.plan.TestHosts;
import io.vgapass.testing.Cmd;
import io.vgapass.testing.LabAssumptions;
import io.vgapass.testing.TinyGuest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Looking Glass's IVSHMEM device as {@code vgapass vm tune --looking-glass} writes it, in a TCG guest started by the
 * real libvirtd: the guest sees the ivshmem-plain function (1af4:1110) on its PCI bus, QEMU maps
 * /dev/shm/looking-glass at the planned size, and {@code vgapass verify} passes its looking-glass check. The domain
 * is tuned for the two-CPU fixture host shaped like this machine. Runs only with {@code -Dvgapass.it=true}.
 */
class LookingGlassTcgTest {
  private static final String URI = LabAssumptions.LIBVIRT_URI;
  private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(120);
  private static final Path SHM = Path.of("/dev/shm/looking-glass");
  private static final Pattern IVSHMEM = Pattern.compile("(?m)^VGAPASS-PCI \\S+ 1af4:1110\\s*$");

  @BeforeEach
  void lab() {
    LabAssumptions.assumeLab();
  }

  @Test
  void guestSeesTheIvshmemDeviceAndVerifyPasses() throws Exception {
    TinyGuest guest = TinyGuest.locate();
    String name = uniqueName();
    Path serialLog = Path.of("/var/log/libvirt/qemu", name + "-serial.log");
    Path dir = Files.createTempDirectory(name);
    boolean shmBefore = Files.exists(SHM);
    boolean passed = false;
    try {
      Path in = Files.writeString(dir.resolve("in.xml"),
          guest.domainXml(name, 256, guest.cmdlineListingPci(), serialLog));
      Path out = dir.resolve("out.xml");
      CliRunner.Result tune = CliRunner.run("vm", "tune", "--in", in.toString(), "--out", out.toString(),
          "--sysroot", TestHosts.root(TestHosts.TWO_CPU).toString(), "--hugepages", "off",
          "--looking-glass", "--resolution", "1280x720");
      assertThat(tune.code()).as("%s", tune).isZero();
      // host-passthrough is KVM-only; TCG's closest is 'maximum' (as in PlannedDomainTcgTest)
      String xml = Files.readString(out).replace("mode='host-passthrough'", "mode='maximum'")
          .replace("<cache mode='passthrough'/>", "");
      assertThat(xml).contains("<shmem name='looking-glass'>", "<size unit='M'>32</size>");
      Files.writeString(out, xml);

      virsh("define", out.toString());
      virsh("start", name);
      waitFor(() -> read(serialLog).contains(TinyGuest.UP_MARKER) && read(serialLog).contains(TinyGuest.PCI_MARKER),
          name, serialLog);
      Thread.sleep(500); // the list is printed in one go; let the last lines reach the log
      String console = read(serialLog);
      java.util.regex.Matcher seen = IVSHMEM.matcher(console);
      assertThat(seen.find()).as("1af4:1110 among the guest's PCI functions:%n%s", console).isTrue();
      System.out.printf("%s: the guest lists %s%n", name, seen.group().strip());
      assertThat(Files.size(SHM)).as("QEMU's mapping of %s", SHM).isEqualTo(32L << 20);

      CliRunner.Result verify = CliRunner.run("verify", name, "--json", "--connect", URI);
      io.vgapass.testing.JsonContract.assertShape("verify", verify.out());
      assertThat(verify.out()).as("%s", verify)
          .containsPattern("\"name\"\\s*:\\s*\"looking-glass\"\\s*,\\s*\"passed\"\\s*:\\s*true");
      passed = true;
    } finally {
      cleanUp(name, serialLog, passed);
      if (!shmBefore) Files.deleteIfExists(SHM);
    }
  }

  private static String uniqueName() {
    byte[] b = new byte[4];
    ThreadLocalRandom.current().nextBytes(b);
    return "vgapass-lg-" + HexFormat.of().formatHex(b);
  }


  private static void waitFor(java.util.function.BooleanSupplier done, String name, Path log)
      throws InterruptedException {
    long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("guest " + name + " did not list its PCI functions; serial log: " + read(log));
      }
      Thread.sleep(200);
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** Destroys and undefines the domain; keeps the serial log only when the test failed. */
  private static void cleanUp(String name, Path serialLog, boolean passed) throws IOException {
    Cmd.run(Duration.ofSeconds(60), "virsh", "-c", URI, "destroy", name);
    Cmd.run(Duration.ofSeconds(60), "virsh", "-c", URI, "undefine", name);
    if (passed) Files.deleteIfExists(serialLog);
    else System.err.println("kept " + serialLog);
  }
}
