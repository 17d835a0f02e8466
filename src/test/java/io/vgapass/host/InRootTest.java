package io.vgapass.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A root resolves like a chroot: whatever links it holds, a path under it names a file under it, and the
 * files read there are bounded and regular (issue 16, items 1 and 2).
 */
class InRootTest {
  @TempDir Path tmp;
  Path root;
  Path outside;

  @BeforeEach
  void trees() throws IOException {
    root = Files.createDirectories(tmp.resolve("root"));
    outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("secret"), "the machine running the test\n");
  }

  @Test
  void anAbsoluteLinkStartsAgainAtTheRoot() throws IOException {
    Files.createSymbolicLink(root.resolve("etc"), outside); // an absolute target, out of the root
    assertThat(InRoot.follow(root, "etc/secret")).isEqualTo(root.resolve(outside.toString().substring(1) + "/secret"));
    assertThat(new SysRoot(root).read("etc/secret")).isEmpty();
  }

  @Test
  void aDotDotChainStopsAtTheRoot() throws IOException {
    // the chain: a link to ../.., below it a link to .., then a file beneath them
    Files.createDirectories(root.resolve("a/b"));
    Files.createSymbolicLink(root.resolve("a/b/up2"), Path.of("../.."));
    Files.createSymbolicLink(root.resolve("a/up"), Path.of(".."));
    for (String path : new String[] {"a/b/up2/../outside/secret", "a/up/../outside/secret",
        "a/b/up2/a/up/../outside/secret"}) {
      // the kernel's own lookup leaves the root there: this is what a plain read did
      assertThat(Files.readString(root.resolve(path))).as(path).contains("the machine running the test");
      Path p = InRoot.follow(root, path);
      assertThat(p).as(path).isEqualTo(root.resolve("outside/secret"));
      assertThat(new SysRoot(root).read(path)).as(path).isEmpty();
    }
  }

  @Test
  void aLinkChainThatReachesTheRealProcReadsNothingOfThisMachine() throws IOException {
    Files.createDirectories(root.resolve("x/y/z"));
    String up = "../".repeat(root.getNameCount() + 3);
    Files.createSymbolicLink(root.resolve("proc"), Path.of("x/y/z/" + up + "proc"));
    Files.createSymbolicLink(root.resolve("sys"), Path.of("/sys"));
    SysRoot r = new SysRoot(root);
    assertThat(r.read("proc/cpuinfo")).isEmpty();
    assertThat(r.list("sys/bus/pci/devices")).isEmpty();
    assertThat(r.exists("proc/self")).isFalse();
  }

  @Test
  void linksInsideTheRootStillWork() throws IOException {
    Files.createDirectories(root.resolve("sys/devices/pci0000:00/0000:00:02.0"));
    Files.writeString(root.resolve("sys/devices/pci0000:00/0000:00:02.0/vendor"), "0x8086\n");
    Files.createDirectories(root.resolve("sys/bus/pci/devices"));
    Files.createSymbolicLink(root.resolve("sys/bus/pci/devices/0000:00:02.0"),
        Path.of("../../../devices/pci0000:00/0000:00:02.0"));
    Files.createSymbolicLink(root.resolve("abs"), Path.of("/sys/devices")); // absolute: the root's own /sys
    SysRoot r = new SysRoot(root);
    assertThat(r.read("sys/bus/pci/devices/0000:00:02.0/vendor")).contains("0x8086");
    assertThat(r.read("abs/pci0000:00/0000:00:02.0/vendor")).contains("0x8086");
    assertThat(r.realPathAt(r.resolve("sys/bus/pci/devices/0000:00:02.0")))
        .contains(root.resolve("sys/devices/pci0000:00/0000:00:02.0"));
    assertThat(r.linkNameAt(r.resolve("sys/bus/pci/devices/0000:00:02.0"))).contains("0000:00:02.0");
  }

  @Test
  void theEntryKeepsItsLastNameAndFollowsItsDirectories() throws IOException {
    Files.createSymbolicLink(root.resolve("etc"), outside);
    Files.createDirectories(root.resolve("real"));
    Files.createSymbolicLink(root.resolve("real/link"), outside.resolve("secret"));
    assertThat(InRoot.entry(root, "etc/modprobe.d/x.conf")).startsWithRaw(root);
    assertThat(InRoot.entry(root, "real/link")).isEqualTo(root.resolve("real/link"));
    assertThat(InRoot.follow(root, "real/link")).startsWithRaw(root).isNotEqualTo(root.resolve("real/link"));
  }

  @Test
  void aLinkLoopIsAnErrorNotAHang() throws IOException {
    Files.createSymbolicLink(root.resolve("a"), Path.of("b"));
    Files.createSymbolicLink(root.resolve("b"), Path.of("a"));
    assertThatThrownBy(() -> InRoot.follow(root, "a/x")).isInstanceOf(IOException.class)
        .hasMessageContaining("too many levels");
    assertThat(new SysRoot(root).read("a/x")).isEmpty();
    // a long chain below the limit resolves
    Files.writeString(root.resolve("end"), "ok");
    Files.createSymbolicLink(root.resolve("l0"), Path.of("end"));
    for (int i = 1; i < InRoot.MAX_LINKS; i++) Files.createSymbolicLink(root.resolve("l" + i), Path.of("l" + (i - 1)));
    assertThat(new SysRoot(root).read("l" + (InRoot.MAX_LINKS - 1))).contains("ok");
  }

  @Test
  void theLiveRootIsTheKernelsOwnLookup() throws IOException {
    // /proc/self is a link, as most of sysfs is: the in-root path has none left, the kernel's real path
    assertThat(InRoot.follow(Path.of("/"), "proc/self/status")).isEqualTo(Path.of("/proc/self/status").toRealPath());
    SysRoot live = SysRoot.live();
    assertThat(live.list("proc/self")).contains("status", "cmdline");
    assertThat(live.read("proc/self/status")).hasValueSatisfying(s -> assertThat(s).contains("Pid:"));
    assertThat(live.exists("proc/self/status")).isTrue();
    assertThat(live.realPathAt(live.resolve("proc/self"))).contains(Path.of("/proc/self").toRealPath());
    assertThat(live.read("proc/cpuinfo")).isPresent(); // size 0 in /proc: read to its end
  }

  @Test
  void aFifoIsRefusedWithoutBlocking() throws Exception {
    Files.createDirectories(root.resolve("proc"));
    Path fifo = root.resolve("proc/cpuinfo");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(p.waitFor()).isZero();
    SysRoot r = new SysRoot(root);
    Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      assertThat(r.read("proc/cpuinfo")).isEmpty();
      assertThat(r.bytesAt(r.resolve("proc/cpuinfo"), 1024)).isEmpty();
      assertThat(HostReader.read(r).cpu()).isNotNull();
    });
  }

  @Test
  void aHugeFileIsRefusedAfterTheBoundNotReadWhole() throws IOException {
    Files.createDirectories(root.resolve("proc"));
    try (RandomAccessFile f = new RandomAccessFile(root.resolve("proc/cpuinfo").toFile(), "rw")) {
      f.setLength(8L * 1024 * 1024 * 1024); // 8 GiB, sparse on disk: reading it whole would exhaust memory
    }
    Files.writeString(root.resolve("proc/meminfo"), "x".repeat(InRoot.MAX_FILE)); // exactly at the bound: kept
    SysRoot r = new SysRoot(root);
    assertThat(r.read("proc/cpuinfo")).isEmpty();
    assertThat(r.read("proc/meminfo")).hasValueSatisfying(s -> assertThat(s).hasSize(InRoot.MAX_FILE));
    assertThatThrownBy(() -> r.fileOrNull("proc/cpuinfo")).isInstanceOf(IOException.class)
        .hasMessageContaining("larger than");
  }

  @Test
  void aDeviceIsNeverOpened() throws IOException {
    // /dev/zero itself, not a link to it: a root read with the root at / sees the real device
    assertThat(InRoot.follow(Path.of("/"), "dev/zero")).isEqualTo(Path.of("/dev/zero"));
    assertThatThrownBy(() -> InRoot.readRegular(Path.of("/dev/zero"), 1024)).isInstanceOf(IOException.class)
        .hasMessageContaining("not a regular file");
    assertThat(SysRoot.live().bytesAt(Path.of("/dev/zero"), 1024)).isEmpty();
  }
}
