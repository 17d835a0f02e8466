package io.vgapass.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.domain.DomainWriter;
import io.vgapass.domain.FilesystemShare;
import io.vgapass.domain.SchemaValidator;
import io.vgapass.domain.XmlDoc;
import io.vgapass.testing.Cmd;
import io.vgapass.testing.HugePages2M;
import io.vgapass.testing.LabAssumptions;
import io.vgapass.testing.TinyGuest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * virtiofs for real: a TCG guest with hugepage-backed memory gets a share through {@code DomainWriter.share} (the
 * filesystem plus memfd shared memory), the real libvirtd starts Debian's virtiofsd for it, and the tiny guest's
 * /init (kernel argument {@code vgapass.virtiofs=TAG}) mounts the tag and prints the file the host wrote.
 */
class ShareVirtiofsGuestTest {
  private static final String URI = LabAssumptions.LIBVIRT_URI;
  private static final Duration BOOT = Duration.ofSeconds(120);
  private static final int MEMORY_MIB = 128;
  private static final String TAG = "hostshare";
  @TempDir Path tmp;

  @BeforeEach
  void lab() {
    LabAssumptions.assumeLab();
  }

  @Test
  void guestMountsTheTagAndReadsTheHostsFile() throws Exception {
    TinyGuest guest = TinyGuest.locate();
    byte[] b = new byte[4];
    ThreadLocalRandom.current().nextBytes(b);
    String name = "vgapass-share-" + HexFormat.of().formatHex(b);
    String hello = "hello-from-the-host-" + HexFormat.of().formatHex(b);
    Path dir = Files.createDirectories(tmp.resolve("share"));
    Files.writeString(dir.resolve("vgapass-share.txt"), hello + "\n");
    Path serialLog = Path.of("/var/log/libvirt/qemu", name + "-serial.log");
    XmlDoc doc = XmlDoc.parse(name, guest.domainXml(name, MEMORY_MIB, guest.cmdline(true) + " vgapass.virtiofs=" + TAG,
        serialLog));
    doc.set("./memoryBacking/hugepages/page/@size", "2048");
    doc.set("./memoryBacking/hugepages/page/@unit", "KiB");
    DomainWriter.share(doc, List.of(new FilesystemShare(dir.toString(), TAG, false)));
    SchemaValidator.libvirt().check(doc);
    Path xml = Files.writeString(tmp.resolve(name + ".xml"), doc.serialize());
    boolean passed = false;
    try (HugePages2M pages = HugePages2M.add(HugePages2M.pagesFor(MEMORY_MIB))) {
      try {
        virsh("define", xml.toString());
        virsh("start", name);
        long deadline = System.nanoTime() + BOOT.toNanos();
        while (!domstate(name).startsWith("shut off") && System.nanoTime() < deadline) Thread.sleep(200);
        String console = Files.exists(serialLog) ? Files.readString(serialLog) : "(no serial log)";
        assertThat(console).as("serial console of %s", name).contains(TinyGuest.UP_MARKER)
            .contains("VGAPASS-VIRTIOFS-READ " + hello);
        passed = true;
      } finally {
        String state = domstate(name);
        if (state.startsWith("running") || state.startsWith("paused")) virshQuiet("destroy", name);
        virshQuiet("undefine", name);
        if (passed) Files.deleteIfExists(serialLog);
        else System.err.printf("%s failed: kept %s and /var/log/libvirt/qemu/%s.log%n", name, serialLog, name);
        if (passed) Files.deleteIfExists(Path.of("/var/log/libvirt/qemu", name + ".log"));
      }
    }
  }

  private static String virsh(String... args) {
    return Cmd.run(Duration.ofSeconds(60), argv(args)).orThrow().out();
  }

  private static void virshQuiet(String... args) {
    Cmd.run(Duration.ofSeconds(60), argv(args));
  }

  private static String[] argv(String... args) {
    String[] argv = new String[args.length + 3];
    argv[0] = "virsh";
    argv[1] = "-c";
    argv[2] = URI;
    System.arraycopy(args, 0, argv, 3, args.length);
    return argv;
  }

  private static String domstate(String name) {
    Cmd.Result r = Cmd.run(Duration.ofSeconds(30), "virsh", "-c", URI, "domstate", name);
    return r.ok() ? r.out().strip() : "unknown (" + r.err().strip() + ")";
  }
}
