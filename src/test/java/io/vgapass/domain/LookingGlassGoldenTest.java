package io.vgapass.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.cli.CliRunner;
import io.vgapass.host.sketch.HostSketch;
import io.vgapass.host.sketch.SketchWriter;
import io.vgapass.plan.TestHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files for Looking Glass in both forms, through {@code vm tune} and {@code plan} as a user runs them (the
 * commands validate against libvirt's schema), tuning twice giving the same bytes, a new resolution replacing the old
 * size, and {@code --no-looking-glass} taking it all out. Rewrite with {@code -Dvgapass.golden.update=true}.
 */
class LookingGlassGoldenTest {
  private static final String DIR = "/io/vgapass/domain/tune/";
  /** The Debian 12 fixture with Looking Glass's DKMS module installed for its kernel. */
  static final String KVMFR = "kvmfr";

  @TempDir
  Path tmp;

  record Case(String name, String host, List<String> flags) {
    @Override
    public String toString() {
      return name + " on " + host + " " + String.join(" ", flags);
    }
  }

  static Path root(String host) {
    if (!host.equals(KVMFR)) return TestHosts.root(host);
    return KvmfrHost.ROOT;
  }

  /** Materialised once: the modern fixture plus lib/modules/.../updates/dkms/kvmfr.ko.xz. */
  static final class KvmfrHost {
    static final Path ROOT = make();

    private static Path make() {
      try {
        Path dir = Files.createTempDirectory("vgapass-host-kvmfr-");
        String text = TestHosts.text(TestHosts.MODERN)
            + "\ntouch lib/modules/6.1.0-18-amd64/updates/dkms/kvmfr.ko.xz\n";
        return SketchWriter.write(HostSketch.parse(KVMFR, text), dir);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  static Stream<Case> tuned() {
    return Stream.of(
        // IVSHMEM (no kvmfr): <shmem> of 64 MiB, qxl replaced by video none, balloon off
        new Case("lg-ivshmem", TestHosts.MODERN, List.of("--looking-glass", "--resolution", "2560x1440")),
        // kvmfr: memory backend + ivshmem-plain in qemu:commandline beside the user's argument, minimal VGA
        new Case("lg-kvmfr", KVMFR, List.of("--looking-glass", "--resolution", "3840x2160", "--hdr",
            "--looking-glass-video", "vga")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tuned")
  void tunedAsExpected(Case c) throws IOException {
    String out = tune(c.host(), DomainSamples.text(DIR + c.name() + ".in.xml"), c.flags(), "once");
    DomainSamples.assertGolden(c.name() + ".out.xml", out, c);
    assertThat(tune(c.host(), out, c.flags(), "twice")).as("%s tuned twice", c).isEqualTo(out);
  }

  static Stream<Case> created() {
    return Stream.of(
        new Case("create-lg-ivshmem", TestHosts.MODERN, List.of("--looking-glass")),
        new Case("create-lg-kvmfr", KVMFR, List.of("--looking-glass", "--resolution", "3440x1440")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("created")
  void createdAsExpected(Case c) throws IOException {
    Path xml = tmp.resolve(c.name() + ".xml");
    List<String> args = new ArrayList<>(List.of("plan", "--sysroot", root(c.host()).toString(), "--xml-out",
        xml.toString()));
    args.addAll(c.flags());
    CliRunner.Result r = CliRunner.run(args);
    assertThat(r.code()).as("%s: %s", c, r.err()).isZero();
    if (SchemaValidator.libvirt().available()) assertThat(r.out()).contains("valid against libvirt's schema");
    DomainSamples.assertGolden(c.name() + ".xml", Files.readString(xml), c);
  }

  /** libvirt 3.7 (the reference machine): QEMU's key=value arguments, and no video model 'none' (4.6 and later). */
  @Test
  void olderLibvirtGetsKeyValueArgumentsAndKeepsItsVideo() throws IOException {
    Path dir = Files.createTempDirectory(tmp, "reference-kvmfr");
    String text = TestHosts.text(TestHosts.REFERENCE) + "\ntouch lib/modules/4.13.9-300.fc27.x86_64/extra/kvmfr.ko.xz\n";
    Path root = SketchWriter.write(HostSketch.parse("reference-kvmfr", text), dir);
    Path xml = tmp.resolve("reference-lg.xml");
    CliRunner.Result r = CliRunner.run(List.of("plan", "--sysroot", root.toString(), "--looking-glass", "--xml-out", xml.toString()));
    assertThat(r.code()).as(r.err()).isZero();
    if (SchemaValidator.libvirt().available()) assertThat(r.out()).contains("valid against libvirt's schema");
    String out = Files.readString(xml);
    assertThat(out).contains("<qemu:arg value='memory-backend-file,id=vgapass-lg,mem-path=/dev/kvmfr0,size=32M,"
        + "share=on'/>", "<qemu:arg value='ivshmem-plain,id=vgapass-lg0,memdev=vgapass-lg'/>")
        .doesNotContain("<video>");
  }

  @Test
  void planJsonAndTextSayIt() {
    CliRunner.Result json = CliRunner.run(List.of("plan", "--sysroot", root(KVMFR).toString(), "--looking-glass", "--resolution",
        "5120x1440", "--hdr", "--json"));
    assertThat(json.code()).as(json.err()).isZero();
    assertThat(json.out().replaceAll("\\s", "")).contains("\"lookingGlass\":{\"width\":5120,\"height\":1440,"
        + "\"hdr\":true,\"video\":\"NONE\",\"mode\":\"KVMFR\",\"sizeMiB\":128}");
    CliRunner.Result text = CliRunner.run(List.of("plan", "--sysroot", root(TestHosts.MODERN).toString(), "--looking-glass"));
    assertThat(text.out()).contains("looking glass: 32 MiB of shared memory for 1920x1080 in /dev/shm/looking-glass",
        "vgapass looking-glass setup --resolution 1920x1080 --dry-run");
  }

  @Test
  void aNewResolutionReplacesTheOldSize() throws IOException {
    String in = DomainSamples.text(DIR + "lg-ivshmem.in.xml");
    String first = tune(TestHosts.MODERN, in, List.of("--looking-glass"), "1080p");
    String second = tune(TestHosts.MODERN, first, List.of("--looking-glass", "--resolution", "3840x2160"), "4k");
    XmlDoc doc = XmlDoc.parse("4k", second);
    assertThat(doc.list("./devices/shmem")).hasSize(1);
    assertThat(doc.get("./devices/shmem[@name='looking-glass']/size")).isEqualTo("128");
    assertThat(VgapassMetadata.read(doc).lookingGlass().resolution()).isEqualTo("3840x2160");
    // the hook's fast path (MetadataScanner) reads the same record
    assertThat(VgapassMetadata.read(second, "4k")).isEqualTo(VgapassMetadata.read(doc));
    assertThat(first).contains("<size unit='M'>32</size>");
  }

  @Test
  void kvmfrArgumentsAreReplacedNotDuplicated() throws IOException {
    String in = DomainSamples.text(DIR + "lg-kvmfr.in.xml");
    String first = tune(KVMFR, in, List.of("--looking-glass"), "1080p");
    String second = tune(KVMFR, first, List.of("--looking-glass", "--resolution", "2560x1440"), "1440p");
    XmlDoc doc = XmlDoc.parse("1440p", second);
    doc.bindPrefix("qemu", "http://libvirt.org/schemas/domain/qemu/1.0");
    List<String> args = doc.list("./qemu:commandline/qemu:arg").stream().map(a -> a.get("./@value")).toList();
    assertThat(args).hasSize(6).startsWith("-global", "ICH9-LPC.disable_s3=1");
    assertThat(String.join(" ", args)).contains("\"size\":67108864").doesNotContain("33554432");
  }

  @Test
  void noLookingGlassTakesOutWhatVgapassAdded() throws IOException {
    for (String host : List.of(TestHosts.MODERN, KVMFR)) {
      String name = host.equals(KVMFR) ? "lg-kvmfr" : "lg-ivshmem";
      String in = DomainSamples.text(DIR + name + ".in.xml");
      String with = tune(host, in, List.of("--looking-glass"), host + "-with");
      String without = tune(host, with, List.of("--no-looking-glass"), host + "-without");
      assertThat(without).doesNotContain("looking-glass").doesNotContain("vgapass-lg")
          .doesNotContain("<model type='none'/>");
      if (host.equals(KVMFR)) assertThat(without).contains("ICH9-LPC.disable_s3=1");
    }
  }

  private String tune(String host, String xml, List<String> flags, String label) throws IOException {
    return DomainSamples.vmTune(tmp, root(host), xml, flags, label);
  }
}
