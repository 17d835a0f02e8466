package io.vgapass.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A capture is something strangers post: unpacking one writes nothing outside its directory, whatever links it
 * holds, and refuses what a capture cannot be (issue 16, items 1 and 2).
 */
class HostileCaptureTest {
  @TempDir Path tmp;
  Path into;
  Path victim;

  @BeforeEach
  void dirs() throws IOException {
    into = Files.createDirectories(tmp.resolve("a/b/c/unpacked"));
    victim = tmp.resolve("victim");
    Files.writeString(victim, "keep me\n");
  }

  /** A tar.gz written entry by entry, as an attacker would. */
  static final class Archive {
    private final List<TarArchiveEntry> entries = new ArrayList<>();
    private final List<byte[]> contents = new ArrayList<>();

    Archive dir(String name) {
      return add(new TarArchiveEntry(name + "/", TarConstants.LF_DIR), new byte[0]);
    }

    Archive file(String name, String text) {
      return file(name, text.getBytes(StandardCharsets.UTF_8));
    }

    Archive file(String name, byte[] bytes) {
      TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
      e.setSize(bytes.length);
      return add(e, bytes);
    }

    Archive link(String name, String target) {
      TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
      e.setLinkName(target);
      return add(e, new byte[0]);
    }

    Archive special(String name, byte flag, String linkName) {
      TarArchiveEntry e = new TarArchiveEntry(name, flag, true);
      if (linkName != null) e.setLinkName(linkName);
      return add(e, new byte[0]);
    }

    private Archive add(TarArchiveEntry e, byte[] content) {
      entries.add(e);
      contents.add(content);
      return this;
    }

    Path write(Path file) throws IOException {
      try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(file));
           TarArchiveOutputStream tar = new TarArchiveOutputStream(o, StandardCharsets.UTF_8.name())) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        for (int i = 0; i < entries.size(); i++) {
          tar.putArchiveEntry(entries.get(i));
          tar.write(contents.get(i));
          tar.closeArchiveEntry();
        }
        tar.finish();
      }
      return file;
    }
  }

  /** Every file and link under {@code tmp} outside {@code into} (archives aside), with its content or target. */
  private List<String> outside() throws IOException {
    try (Stream<Path> s = Files.walk(tmp)) {
      return s.filter(p -> !p.startsWith(into) && !p.toString().endsWith(".tar.gz"))
          .map(p -> {
            try {
              return tmp.relativize(p) + (Files.isSymbolicLink(p) ? " -> " + Files.readSymbolicLink(p)
                  : Files.isDirectory(p) ? "/" : ": " + Files.readString(p).strip());
            } catch (IOException e) {
              return tmp.relativize(p) + ": unreadable";
            }
          }).sorted().toList();
    }
  }

  /**
   * Links that each stay inside by their own words but climb out together: x/y/up -> ../.. is the capture's
   * top, and every t -> .. below it one level more (to the kernel; to a chroot, .. of the top is the top).
   * Returns the name that, to the kernel, is {@code levels} directories above the capture.
   */
  private static String ladder(Archive a, int levels) {
    a.dir("x/y").link("x/y/up", "../..");
    String p = "x/y/up";
    for (int i = 1; i <= levels; i++) {
      a.link(p + "/t" + i, "..");
      p = p + "/t" + i;
    }
    return p;
  }

  /** {@code tmp} is 4 levels above {@code into} (tmp/a/b/c/unpacked). */
  private static final int TO_TMP = 4;

  private void extractOrRefuse(Archive a) throws IOException {
    try {
      CaptureArchive.extract(a.write(tmp.resolve("hostile.tar.gz")), into);
    } catch (CaptureArchive.BadCapture e) {
      assertThat(e.getMessage()).doesNotContain(into.toString());
    }
  }

  @Test
  void theIssuesChainOfLinksWritesNothingOutside() throws IOException {
    Archive a = new Archive();
    String top = ladder(a, TO_TMP);
    a.file(top + "/victim", "overwritten\n").file(top + "/planted", "planted\n").dir(top + "/made");
    List<String> before = outside();
    extractOrRefuse(a);
    assertThat(outside()).isEqualTo(before);
    assertThat(Files.readString(victim)).isEqualTo("keep me\n");
    assertThat(Files.readString(into.resolve("victim"))).isEqualTo("overwritten\n"); // clamped: inside
  }

  @Test
  void aChainThatReplacesAFileOutsideByALinkIsStopped() throws IOException {
    // variant: not a file but a link entry lands on the victim's name, which would delete it first
    for (int levels = 1; levels <= TO_TMP; levels++) {
      Archive a = new Archive();
      String top = ladder(a, levels);
      a.link(top + "/victim", "x").link(top + "/a", "x").link(top + "/b", "x");
      List<String> before = outside();
      extractOrRefuse(a);
      assertThat(outside()).as("%d levels", levels).isEqualTo(before);
    }
    assertThat(Files.readString(victim)).isEqualTo("keep me\n");
  }

  @Test
  void linksToTheRealEtcProcAndSysReplayAsNothingOfThisMachine() throws IOException {
    // "this machine", one level of links above the capture (a real attack climbs to / the same way)
    Files.createDirectories(tmp.resolve("etc"));
    Files.writeString(tmp.resolve("etc/os-release"), "ID=this-machine\n");
    Files.createDirectories(tmp.resolve("proc"));
    Files.writeString(tmp.resolve("proc/cpuinfo"), "processor\t: 0\nmodel name\t: this machine\n");
    Files.writeString(tmp.resolve("proc/cmdline"), "this-machine\n");
    Archive a = new Archive();
    String top = ladder(a, TO_TMP);
    a.link("etc", top + "/etc").link("sys", top + "/sys").dir("proc").link("proc/cpuinfo", "../" + top + "/proc/cpuinfo")
        .link("proc/cmdline", "../" + top + "/proc/cmdline");
    extractOrRefuse(a);
    SysRoot root = new SysRoot(into);
    assertThat(root.read("etc/os-release")).isEmpty();
    assertThat(root.read("proc/cpuinfo")).isEmpty();
    assertThat(root.read("proc/cmdline")).isEmpty();
    Host h = HostReader.read(root);
    assertThat(String.valueOf(h.kernel().cmdline())).doesNotContain("this-machine");
    assertThat(h.distro().toString()).doesNotContain("this-machine");
    assertThat(h.cpu().toString()).doesNotContain("this machine");
  }

  @Test
  void namesThatLeaveOrStartAtSlashAreRefused() throws IOException {
    for (String name : new String[] {"/etc/passwd", "../victim", "x/../../victim", "./x/../../../victim"}) {
      Path archive = new Archive().file(name, "overwritten\n").write(tmp.resolve("names.tar.gz"));
      assertThatThrownBy(() -> CaptureArchive.extract(archive, into)).as(name)
          .isInstanceOf(CaptureArchive.BadCapture.class).hasMessageContaining(name.startsWith("/") ? name : "..");
    }
    assertThat(Files.readString(victim)).isEqualTo("keep me\n");
  }

  @Test
  void linksThatPointOutByThemselvesAreRefused() throws IOException {
    for (String target : new String[] {"/etc", "../../victim", "x/../../.."}) {
      Path archive = new Archive().link("l", target).write(tmp.resolve("links.tar.gz"));
      assertThatThrownBy(() -> CaptureArchive.extract(archive, into)).as(target)
          .isInstanceOf(CaptureArchive.BadCapture.class).hasMessageContaining("leaves the capture");
    }
  }

  @Test
  void hardLinksDevicesAndFifosAreRefused() throws IOException {
    record Kind(byte flag, String link, String said) {}
    for (Kind k : List.of(new Kind(TarConstants.LF_LINK, "x", "a hard link"), new Kind(TarConstants.LF_CHR, null,
        "a device node"), new Kind(TarConstants.LF_BLK, null, "a device node"), new Kind(TarConstants.LF_FIFO, null,
        "a FIFO"))) {
      Path archive = new Archive().file("x", "x").special("proc/cpuinfo", k.flag(), k.link())
          .write(tmp.resolve("kind.tar.gz"));
      assertThatThrownBy(() -> CaptureArchive.extract(archive, into)).as(k.said())
          .isInstanceOf(CaptureArchive.BadCapture.class).hasMessageContaining("proc/cpuinfo is " + k.said());
    }
  }

  @Test
  void sparseEntriesAreRefusedBeforeAByteIsWritten() throws IOException {
    for (String name : new String[] {"gnu-sparse.tar.gz", "pax-sparse.tar.gz"}) {
      Path archive = tmp.resolve(name);
      try (InputStream in = getClass().getResourceAsStream("/captures/hostile/" + name)) {
        Files.copy(in, archive);
      }
      assertThat(Files.size(archive)).isLessThan(300); // 1 GiB once unpacked
      Path dir = tmp.resolve("sparse-" + name);
      assertThatThrownBy(() -> CaptureArchive.extract(archive, dir)).as(name)
          .isInstanceOf(CaptureArchive.BadCapture.class).hasMessageContaining("sparse");
      assertThat(Files.exists(dir.resolve("big"))).as(name).isFalse();
    }
  }

  @Test
  void aHeaderThatPromisesAGibibyteIsRefusedFromTheHeader() throws IOException {
    TarArchiveEntry e = new TarArchiveEntry("proc/cpuinfo");
    e.setSize(1L << 30);
    byte[] header = new byte[512];
    e.writeEntryHeader(header);
    Path archive = tmp.resolve("gib.tar.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(archive))) {
      o.write(header);
      o.write(new byte[64 * 1024]); // the start of the gibibyte of zeros
    }
    assertThatThrownBy(() -> CaptureArchive.extract(archive, into)).isInstanceOf(CaptureArchive.BadCapture.class)
        .hasMessageContaining("proc/cpuinfo is 1073741824 bytes long");
    assertThat(Files.exists(into.resolve("proc/cpuinfo"))).isFalse();
  }

  @Test
  void aFileJustOverTheBoundIsRefusedAndOneAtTheBoundIsKept() throws IOException {
    Path over = new Archive().file("big", new byte[CaptureArchive.MAX_FILE + 1]).write(tmp.resolve("over.tar.gz"));
    assertThatThrownBy(() -> CaptureArchive.extract(over, into)).isInstanceOf(CaptureArchive.BadCapture.class)
        .hasMessageContaining("big is " + (CaptureArchive.MAX_FILE + 1) + " bytes long");
    Path at = new Archive().file("big", new byte[CaptureArchive.MAX_FILE]).write(tmp.resolve("at.tar.gz"));
    CaptureArchive.extract(at, tmp.resolve("at"));
    assertThat(Files.size(tmp.resolve("at/big"))).isEqualTo(CaptureArchive.MAX_FILE);
  }

  @Test
  void theCountAndTotalBoundsHold() throws IOException {
    CaptureArchive.Limits small = new CaptureArchive.Limits(10, 1000, 2500);
    Archive many = new Archive();
    for (int i = 0; i < 11; i++) many.file("f" + i, "x");
    Path manyFile = many.write(tmp.resolve("many.tar.gz"));
    assertThatThrownBy(() -> CaptureArchive.extract(manyFile, tmp.resolve("m"), small))
        .hasMessageContaining("more than 10 entries");
    Archive big = new Archive();
    for (int i = 0; i < 3; i++) big.file("f" + i, new byte[1000]);
    Path bigFile = big.write(tmp.resolve("total.tar.gz"));
    assertThatThrownBy(() -> CaptureArchive.extract(bigFile, tmp.resolve("t"), small))
        .hasMessageContaining("more than 2500 bytes");
    // the real limits take the lab machine's capture with room to spare
    assertThat(CaptureArchive.Limits.CAPTURE.entries()).isGreaterThan(617 * 20);
    assertThat(CaptureArchive.Limits.CAPTURE.total()).isGreaterThan(1_054_208L * 20);
  }

  @Test
  void anEmptyArchiveAndNonTarGzipSayWhatTheyAre() throws IOException {
    Path zero = Files.write(tmp.resolve("zero.tar.gz"), new byte[0]);
    Path empty = new Archive().write(tmp.resolve("empty.tar.gz"));
    Path text = tmp.resolve("text.tar.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(text))) {
      o.write("this is not a tar archive\n".repeat(100).getBytes(StandardCharsets.UTF_8));
    }
    Path plain = Files.writeString(tmp.resolve("plain.tar.gz"), "hello\n");
    ByteArrayOutputStream said = new ByteArrayOutputStream();
    for (Path p : List.of(zero, empty, text, plain)) {
      Path dir = tmp.resolve("x-" + p.getFileName());
      assertThatThrownBy(() -> CaptureArchive.extract(p, dir)).as(p.toString())
          .isInstanceOf(CaptureArchive.BadCapture.class)
          .satisfies(t -> assertThat(t.getMessage()).doesNotContain("null").doesNotContain(dir.toString()));
      try {
        CaptureArchive.extract(p, dir);
      } catch (CaptureArchive.BadCapture b) {
        said.writeBytes((b.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    assertThat(said.toString(StandardCharsets.UTF_8)).contains("empty", "not a gzip file", "no entries");
  }

  @Test
  void aGoodCaptureWithLinksStillUnpacksThroughThem() throws IOException {
    Path archive = new Archive().dir("sys/devices/pci0000:00/0000:00:02.0").dir("sys/bus/pci/devices")
        .link("sys/bus/pci/devices/0000:00:02.0", "../../../devices/pci0000:00/0000:00:02.0")
        .file("sys/bus/pci/devices/0000:00:02.0/vendor", "0x8086\n").write(tmp.resolve("good.tar.gz"));
    CaptureArchive.extract(archive, into);
    assertThat(Files.readString(into.resolve("sys/devices/pci0000:00/0000:00:02.0/vendor"))).isEqualTo("0x8086\n");
    assertThat(new SysRoot(into).read("sys/bus/pci/devices/0000:00:02.0/vendor")).contains("0x8086");
  }
}
