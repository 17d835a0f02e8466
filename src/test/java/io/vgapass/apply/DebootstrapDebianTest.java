package io.vgapass.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vgapass.host.sketch.HostSketch;
import io.vgapass.host.sketch.SketchWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * host apply and undo on a real Debian 12 root: debootstrapped by {@code scripts/test-all.sh} (function
 * {@code debootstrap_root}, a cached tarball), with Debian's own {@code update-grub} (grub-mkconfig and every
 * /etc/grub.d script) and {@code update-initramfs} run inside it through chroot ({@link Applier#CHROOT_PROPERTY}).
 * The hardware comes from a sketch ({@code hosts/debootstrap-bookworm.host}) of which only sys/ and proc/ are
 * written into the root; /etc, /boot and the kernel's modules are the ones debootstrap installed.
 *
 * <p>The root's grub-probe answers for a disk it does not have (see the script): everything else is real.
 * Runs with {@code -Dvgapass.it=true} as root; the tarball comes from {@value #TARBALL_PROPERTY} or the script's
 * cache ({@code /var/cache/vgapass-debootstrap/bookworm.tar.zst}).
 */
class DebootstrapDebianTest {
  static final String TARBALL_PROPERTY = "vgapass.test.debootstrap";
  static final Path DEFAULT_TARBALL = Path.of("/var/cache/vgapass-debootstrap/bookworm.tar.zst");
  static final String SKETCH = "/io/vgapass/apply/hosts/debootstrap-bookworm.host";
  static final String GPU = "0000:01:00.0";
  static final String IDS = "1002:73ff,1002:ab28";
  static final String ARGS = "intel_iommu=on iommu=pt";
  /** The environment of the commands, the same the script built the root's initramfs and grub.cfg with. */
  static final Map<String, String> ENV = Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "LANG", "C.UTF-8");

  private Path work;
  private Path root;
  private String kernel;

  @BeforeEach
  void extractRoot() throws IOException {
    assumeTrue(Boolean.getBoolean("vgapass.it"), "debootstrap test: needs -Dvgapass.it=true, root, and the Debian 12 "
        + "root that scripts/test-all.sh builds (debootstrap_root); run scripts/test-all.sh");
    if (!"root".equals(System.getProperty("user.name"))) {
      fail("vgapass.it=true but not root: the debootstrap test runs update-grub and update-initramfs through chroot; "
          + "run scripts/test-all.sh as root, or drop -Dvgapass.it=true");
    }
    String v = System.getProperty(TARBALL_PROPERTY, "").trim();
    Path tarball = v.isEmpty() ? DEFAULT_TARBALL : Path.of(v);
    if (!Files.isRegularFile(tarball)) {
      fail("debootstrapped Debian 12 root not found: " + tarball + (v.isEmpty() ? " (-D" + TARBALL_PROPERTY
          + " not set)" : " (from -D" + TARBALL_PROPERTY + ")") + "; build it with scripts/test-all.sh");
    }
    // /var/tmp, not /tmp: the root is ~700 MiB and /tmp may be a small tmpfs
    work = Files.createTempDirectory(Path.of("/var/tmp"), "vgapass-debootstrap-test-");
    root = Files.createDirectory(work.resolve("root"));
    run(List.of("tar", "--zstd", "--numeric-owner", "-xpf", tarball.toString(), "-C", root.toString()), 300);

    try (Stream<Path> s = Files.list(root.resolve("usr/lib/modules"))) {
      List<String> kernels = s.map(p -> p.getFileName().toString()).toList();
      assertThat(kernels).as("kernels in the debootstrapped root").hasSize(1);
      kernel = kernels.get(0);
    }
    // the hardware: only sys/ and proc/ of the sketch go into the root (both empty there: nothing mounted)
    assertThat(list(root.resolve("sys"))).as("sys/ of the extracted root").isEmpty();
    assertThat(list(root.resolve("proc"))).as("proc/ of the extracted root").isEmpty();
    String text;
    try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream(SKETCH), SKETCH)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("@KERNEL@", kernel);
    }
    Path sketch = SketchWriter.write(HostSketch.parse("debootstrap-bookworm", text), work.resolve("sketch"));
    run(List.of("cp", "-a", sketch.resolve("sys") + "/.", root.resolve("sys") + "/"), 60);
    run(List.of("cp", "-a", sketch.resolve("proc") + "/.", root.resolve("proc") + "/"), 60);
  }

  @AfterEach
  void removeRoot() throws IOException {
    if (work != null) run(List.of("rm", "-rf", "--one-file-system", work.toString()), 300);
  }

  @Test
  void applyThenUndoWithDebiansOwnUpdateGrubAndUpdateInitramfs() throws IOException {
    String initrd = "/boot/initrd.img-" + kernel;
    String modules = "usr/lib/modules/" + kernel + "/kernel/drivers/vfio/";
    Map<String, String> etcBefore = Trees.hashes(root.resolve("etc"));
    String grubCfgBefore = Trees.read(root, "boot/grub/grub.cfg");
    List<String> initramfsBefore = lsinitramfs(initrd);
    assertThat(normalEntries(grubCfgBefore)).as("grub.cfg of the fresh root").isNotEmpty()
        .noneMatch(l -> l.contains("iommu"));
    assertThat(initramfsBefore).as("initramfs of the fresh root").contains("usr/lib/modules/" + kernel + "/modules.dep")
        .noneMatch(f -> f.contains("vfio"));

    long t0 = System.nanoTime();
    Out apply = vgapass("host", "apply", "--sysroot", root.toString(), "--gpu", GPU, "--yes");
    long applied = System.nanoTime();
    assertThat(apply.code()).as(apply.text()).isZero();
    assertThat(apply.text()).contains("run update-grub", "run update-initramfs -u -k all", "applied (journal")
        .doesNotContain("listed, not run", "never run");

    assertThat(Trees.read(root, "etc/default/grub")).contains("\nGRUB_CMDLINE_LINUX_DEFAULT=\"quiet " + ARGS + "\"\n");
    String conf = Trees.read(root, "etc/modprobe.d/vgapass-vfio.conf");
    assertThat(conf).contains("\noptions vfio-pci ids=" + IDS + "\n", "\nsoftdep amdgpu pre: vfio-pci\n");
    assertThat(Trees.read(root, "etc/initramfs-tools/modules")).contains("\nvfio\nvfio_iommu_type1\n")
        .endsWith("\nvfio_pci\n");
    // grub.cfg written by grub-mkconfig: every normal entry boots with the arguments; recovery entries take
    // GRUB_CMDLINE_LINUX only, so they stay a way back in
    String grubCfg = Trees.read(root, "boot/grub/grub.cfg");
    assertThat(grubCfg).startsWith("#\n# DO NOT EDIT THIS FILE\n#\n# It is automatically generated by grub-mkconfig");
    assertThat(normalEntries(grubCfg)).as(grubCfg).isNotEmpty()
        .allMatch(l -> l.startsWith("linux\t/boot/vmlinuz-" + kernel + " ") && l.endsWith(" quiet " + ARGS));
    assertThat(recoveryEntries(grubCfg)).as(grubCfg).isNotEmpty().noneMatch(l -> l.contains("iommu"));
    // the initramfs update-initramfs built: the vfio modules and the modprobe options that bind the card
    List<String> initramfs = lsinitramfs(initrd);
    assertThat(initramfs).contains(modules + "pci/vfio-pci.ko", modules + "vfio.ko", modules + "vfio_iommu_type1.ko",
        "etc/modprobe.d/vgapass-vfio.conf");
    Path unpacked = unpack(initrd);
    assertThat(Files.readString(unpacked.resolve("etc/modprobe.d/vgapass-vfio.conf"))).isEqualTo(conf);
    assertThat(Files.readAllLines(unpacked.resolve("conf/modules")).stream().map(String::strip))
        .as("modules the initramfs loads first (conf/modules)")
        .containsSubsequence("vfio", "vfio_iommu_type1", "vfio_pci");

    long t1 = System.nanoTime();
    Out undo = vgapass("host", "undo", "--sysroot", root.toString(), "--yes");
    System.out.printf("debootstrap test (kernel %s): host apply %d s, host undo %d s%n", kernel,
        (applied - t0) / 1_000_000_000L, (System.nanoTime() - t1) / 1_000_000_000L);
    assertThat(undo.code()).as(undo.text()).isZero();
    assertThat(undo.text()).contains("regenerate: run update-grub", "regenerate: run update-initramfs -u -k all",
        "undone: transaction").doesNotContain("warning");

    assertThat(Trees.hashes(root.resolve("etc"))).as("/etc after undo").isEqualTo(etcBefore);
    assertThat(Trees.read(root, "boot/grub/grub.cfg")).as("grub.cfg after undo").doesNotContain(ARGS)
        .isEqualTo(grubCfgBefore);
    assertThat(lsinitramfs(initrd)).as("initramfs after undo").noneMatch(f -> f.contains("vfio"))
        .isEqualTo(initramfsBefore);
  }

  /** The linux lines of grub.cfg's normal (not recovery) entries. */
  private static List<String> normalEntries(String grubCfg) {
    return linuxLines(grubCfg).stream().filter(l -> !l.contains(" single")).toList();
  }

  private static List<String> recoveryEntries(String grubCfg) {
    return linuxLines(grubCfg).stream().filter(l -> l.contains(" single")).toList();
  }

  private static List<String> linuxLines(String grubCfg) {
    return grubCfg.lines().map(String::strip).filter(l -> l.startsWith("linux\t") || l.startsWith("linux "))
        .toList();
  }

  /** The files in the initramfs, as the root's own lsinitramfs lists them. */
  private List<String> lsinitramfs(String initrd) throws IOException {
    return Arrays.asList(chroot(60, "lsinitramfs", initrd).split("\n"));
  }

  /** The initramfs unpacked by the root's unmkinitramfs (main/ when early cpio archives come first). */
  private Path unpack(String initrd) throws IOException {
    String dir = "/tmp/vgapass-initramfs";
    chroot(120, "unmkinitramfs", initrd, dir);
    Path out = root.resolve(dir.substring(1));
    return Files.isDirectory(out.resolve("main")) ? out.resolve("main") : out;
  }

  private String chroot(int timeoutSecs, String... argv) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("chroot", root.toString()));
    cmd.addAll(List.of(argv));
    return run(cmd, timeoutSecs);
  }

  record Out(int code, String text) {}

  /** vgapass in a JVM of its own, with the chroot test hook, in the environment the root was built with. */
  private static Out vgapass(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-D" + Applier.CHROOT_PROPERTY + "=true", "io.vgapass.cli.Main"));
    cmd.addAll(List.of(args));
    Result r = exec(cmd, 600);
    return new Out(r.code, r.output);
  }

  private record Result(int code, String output) {}

  private static String run(List<String> cmd, int timeoutSecs) throws IOException {
    Result r = exec(cmd, timeoutSecs);
    if (r.code != 0) fail(String.join(" ", cmd) + " exited " + r.code + ":\n" + r.output);
    return r.output;
  }

  private static Result exec(List<String> cmd, int timeoutSecs) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().clear();
    pb.environment().putAll(ENV);
    Path log = Files.createTempFile("vgapass-debootstrap-", ".log");
    try {
      Process p = pb.redirectOutput(log.toFile()).start();
      if (!p.waitFor(timeoutSecs, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        fail(String.join(" ", cmd) + " did not finish within " + timeoutSecs + " s:\n" + Files.readString(log));
      }
      return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }
}
