package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.host.CaptureArchive;
import io.vgapass.testing.TranscribedHosts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command that takes {@code --sysroot} refuses a bad capture in one line that names the user's file
 * (exit 2), and {@code capture} itself refuses a bad {@code --out} the same way (issue 16, items 2 and 11).
 */
class HostileCaptureCliTest {
  @TempDir Path tmp;

  private static final String DOMAIN = """
      <domain type='kvm'>
        <name>work</name>
        <memory unit='GiB'>4</memory>
        <vcpu>2</vcpu>
        <os><type arch='x86_64' machine='q35'>hvm</type></os>
        <devices/>
      </domain>
      """;

  /** doctor, plan, report and vm tune over one --sysroot: the commands the issue names. */
  private List<String[]> commands(Path sysroot) throws IOException {
    Path in = Files.writeString(tmp.resolve("in.xml"), DOMAIN);
    String s = sysroot.toString();
    return List.of(new String[] {"doctor", "--sysroot", s}, new String[] {"plan", "--sysroot", s, "--gpu",
        "0000:01:00.0"}, new String[] {"report", "--sysroot", s, "--out", tmp.resolve("r.html").toString()},
        new String[] {"vm", "tune", "--in", in.toString(), "--out", tmp.resolve("out.xml").toString(), "--sysroot", s});
  }

  private void refusedByEveryCommand(Path archive, String said) throws IOException {
    for (String[] args : commands(archive)) {
      CliRunner.Result c = CliRunner.run(args);
      String shown = String.join(" ", args);
      assertThat(c.code()).as(shown + "\n" + c.err()).isEqualTo(2);
      assertThat(c.errLines()).as(shown).singleElement().asString().contains(archive.toString()).contains(said)
          .doesNotContain("vgapass-sysroot-").doesNotContain("(null)").doesNotContain("Exception");
      assertThat(c.out()).as(shown).isEmpty();
    }
    assertThat(Files.exists(tmp.resolve("r.html"))).isFalse();
    assertThat(Files.exists(tmp.resolve("out.xml"))).isFalse();
  }

  @Test
  void aSparseCaptureIsOneLineForEveryCommand() throws IOException {
    Path archive = tmp.resolve("sparse.tar.gz");
    try (InputStream in = getClass().getResourceAsStream("/captures/hostile/gnu-sparse.tar.gz")) {
      Files.copy(in, archive);
    }
    refusedByEveryCommand(archive, "sparse");
  }

  @Test
  void aCaptureWithADeviceOrAHardLinkIsOneLineForEveryCommand() throws IOException {
    for (byte flag : new byte[] {TarConstants.LF_CHR, TarConstants.LF_LINK}) {
      Path archive = tmp.resolve("special-" + (char) flag + ".tar.gz");
      try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(archive));
           TarArchiveOutputStream tar = new TarArchiveOutputStream(o)) {
        TarArchiveEntry e = new TarArchiveEntry("proc/cpuinfo", flag, true);
        if (flag == TarConstants.LF_LINK) e.setLinkName("/etc/shadow");
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
        tar.finish();
      }
      refusedByEveryCommand(archive, "proc/cpuinfo is a");
    }
  }

  @Test
  void anEmptyCaptureAndAGzipThatIsNoTarNameTheFileAndSayWhy() throws IOException {
    Path empty = tmp.resolve("empty.tar.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(empty));
         TarArchiveOutputStream tar = new TarArchiveOutputStream(o)) {
      tar.finish();
    }
    refusedByEveryCommand(empty, "no entries");
    Path zero = Files.write(tmp.resolve("zero.tar.gz"), new byte[0]);
    refusedByEveryCommand(zero, "empty");
    Path text = tmp.resolve("text.tar.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(text))) {
      o.write("this is not a tar archive\n".repeat(100).getBytes(StandardCharsets.UTF_8));
    }
    refusedByEveryCommand(text, "not a tar archive");
  }

  @Test
  void captureOutADirectoryIsBadInputNotAFailure() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("captures"));
    CliRunner.Result c = CliRunner.run("capture", "--example", "--out", dir.toString());
    assertThat(c.code()).isEqualTo(2);
    assertThat(c.errLines()).singleElement().asString().contains(dir.toString()).contains("is a directory");
    try (var s = Files.list(dir)) {
      assertThat(s.toList()).isEmpty();
    }
    // variant: a path whose parent is a file
    Path file = Files.writeString(tmp.resolve("plain"), "x");
    CliRunner.Result under = CliRunner.run("capture", "--example", "--out", file.resolve("x.tar.gz").toString());
    assertThat(under.code()).isEqualTo(2);
    assertThat(under.errLines()).singleElement().asString().contains("plain");
    assertThat(Files.readString(file)).isEqualTo("x");
  }

  @Test
  void aDirectoryRootWithAFifoOrAHugeCpuinfoDoesNotHangOrRunOutOfMemory() throws Exception {
    Path root = TranscribedHosts.host("asrock-z170", tmp);
    Files.delete(root.resolve("proc/cpuinfo"));
    assertThat(new ProcessBuilder("mkfifo", root.resolve("proc/cpuinfo").toString()).start().waitFor()).isZero();
    try (var f = new java.io.RandomAccessFile(root.resolve("proc/meminfo").toFile(), "rw")) {
      f.setLength(4L * 1024 * 1024 * 1024); // a 4 GiB hole where a few hundred bytes belong
    }
    Files.delete(root.resolve("proc/cmdline"));
    Files.createSymbolicLink(root.resolve("proc/cmdline"), Path.of("/dev/zero")); // the root's own /dev/zero
    CliRunner.Result c = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60), () -> CliRunner.run("doctor", "--sysroot",
        root.toString()));
    assertThat(c.code()).as(c.err()).isIn(0, 1);
    assertThat(c.err()).doesNotContain("Exception", "OutOfMemory");
    assertThat(c.out()).contains("unknown");
  }

  @Test
  void captureSaysWhichSecretParametersItRedacted() throws IOException {
    Path root = io.vgapass.host.sketch.SketchWriter.write(io.vgapass.host.sketch.HostSketch.parse("s.host", """
        kernel 6.8.0
        cmdline root=/dev/mapper/r rd.luks.key=/etc/keys/disk.key:UUID=1 cryptkey=rootfs:/k iommu=pt
        """), tmp.resolve("host"));
    Path out = tmp.resolve("s.tar.gz");
    CliRunner.Result c = CliRunner.run("capture", "--sysroot", root.toString(), "--out", out.toString());
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(c.out()).contains("REDACTED in proc/cmdline: rd.luks.key cryptkey", CaptureArchive.MANIFEST)
        .doesNotContain("disk.key", "rootfs:/k");
    CliRunner.Result d = CliRunner.run("doctor", "--sysroot", out.toString(), "--json");
    assertThat(d.code()).as(d.err()).isIn(0, 1);
    assertThat(d.out()).contains("iommu=pt", "rd.luks.key=REDACTED").doesNotContain("disk.key");
  }

  @Test
  void theManifestOfARealCaptureSaysNothingWasRedactedWhenNothingWas() throws IOException {
    Path out = tmp.resolve("example.tar.gz");
    CliRunner.Result c = CliRunner.run("capture", "--example", "--out", out.toString());
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(CaptureArchive.names(out).get(0)).isEqualTo(CaptureArchive.MANIFEST);
    Path back = tmp.resolve("back");
    CaptureArchive.extract(out, back);
    assertThat(CaptureArchive.redacted(back)).isEmpty();
    assertThat(c.out()).doesNotContain("REDACTED");
  }
}
