package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.doctor.Doctor;
import io.vgapass.doctor.Finding;
import io.vgapass.doctor.Severity;
import io.vgapass.domain.LookingGlassDomains;
import io.vgapass.host.HostReader;
import io.vgapass.host.SysRoot;
import io.vgapass.host.sketch.HostSketch;
import io.vgapass.host.sketch.SketchWriter;
import io.vgapass.plan.TestHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * doctor's Looking Glass findings, for a domain saved in etc/libvirt/qemu whose metadata plans it (the golden
 * outputs of LookingGlassGoldenTest): module, libvirt's device list, access and size.
 */
class LookingGlassDoctorTest {
  @TempDir Path tmp;

  private Path host(String extra, boolean loaded) throws IOException {
    String text = TestHosts.text(TestHosts.MODERN) + "\n" + extra;
    if (loaded) text = text.replace("\nmodules kvm_intel", "\nmodules kvmfr kvm_intel");
    return SketchWriter.write(HostSketch.parse("lg", text), Files.createTempDirectory(tmp, "root"));
  }

  private static void domain(Path root, String golden, String edit, String with) throws IOException {
    Path d = Files.createDirectories(root.resolve("etc/libvirt/qemu"));
    String xml;
    try (var in = LookingGlassDoctorTest.class.getResourceAsStream("/io/vgapass/domain/tune/" + golden)) {
      xml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).replace(edit, with);
    }
    Files.writeString(d.resolve("glass.xml"), "<!--\nWARNING: THIS IS AN AUTO-GENERATED FILE.\n-->\n" + xml);
  }

  /** Looking Glass findings by id; the worst one of each id. */
  private static Map<String, Finding> findings(Path root) {
    SysRoot r = new SysRoot(root);
    Map<String, Finding> out = new TreeMap<>();
    for (Finding f : Doctor.examine(HostReader.read(r), LookingGlassDomains.checks(r)).findings()) {
      if (f.id().startsWith("looking-glass.")) out.putIfAbsent(f.id(), f);
    }
    return out;
  }

  @Test
  void noDomainAsksNoFindings() throws IOException {
    assertThat(findings(host("", false))).isEmpty();
  }

  @Test
  void ivshmemSizeAgainstThePlannedResolution() throws IOException {
    Path root = host("", false);
    domain(root, "lg-ivshmem.out.xml", "", "");
    Map<String, Finding> ok = findings(root);
    assertThat(ok.get("looking-glass.size").severity()).isEqualTo(Severity.OK);
    assertThat(ok.get("looking-glass.access").severity()).isEqualTo(Severity.INFO);

    domain(root, "lg-ivshmem.out.xml", "<size unit='M'>64</size>", "<size unit='M'>32</size>");
    Finding small = findings(root).get("looking-glass.size");
    assertThat(small.severity()).isEqualTo(Severity.ERROR);
    assertThat(small.message()).contains("glass", "2560x1440", "32 MiB", "needs 64 MiB");
    assertThat(small.fix()).contains("vm tune --domain glass --looking-glass --resolution 2560x1440");
  }

  @Test
  void kvmfrModuleAclSizeAndAccess() throws IOException {
    Path notLoaded = host("touch lib/modules/6.1.0-18-amd64/updates/dkms/kvmfr.ko.xz\n", false);
    domain(notLoaded, "lg-kvmfr.out.xml", "", "");
    Map<String, Finding> f = findings(notLoaded);
    assertThat(f.get("looking-glass.kvmfr").severity()).isEqualTo(Severity.ERROR);
    assertThat(f.get("looking-glass.kvmfr").message()).contains("installed but not loaded");
    assertThat(f.get("looking-glass.cgroup-acl").severity()).isEqualTo(Severity.ERROR);

    Path loaded = host("touch lib/modules/6.1.0-18-amd64/updates/dkms/kvmfr.ko.xz dev/kvmfr0\n"
        + "file sys/module/kvmfr/parameters/static_size_mb\n128\nend\n", true);
    domain(loaded, "lg-kvmfr.out.xml", "", "");
    Files.writeString(loaded.resolve("etc/libvirt/qemu.conf"),
        "cgroup_device_acl = [\n    \"/dev/null\", \"/dev/kvm\",\n    \"/dev/kvmfr0\"\n]\n");
    Files.setPosixFilePermissions(loaded.resolve("dev/kvmfr0"), PosixFilePermissions.fromString("rw-rw----"));
    f = findings(loaded);
    assertThat(f.get("looking-glass.kvmfr").severity()).isEqualTo(Severity.OK);
    assertThat(f.get("looking-glass.cgroup-acl").severity()).isEqualTo(Severity.OK);
    assertThat(f.get("looking-glass.size").severity()).isEqualTo(Severity.ERROR);
    assertThat(f.get("looking-glass.size").message()).contains("128 MiB", "3840x2160 HDR", "needs 256 MiB");
    assertThat(f.get("looking-glass.size").fix()).contains("looking-glass setup --resolution 3840x2160 --hdr");
    boolean alexOwnsIt = Files.getAttribute(loaded.resolve("dev/kvmfr0"), "unix:uid").equals(1000);
    assertThat(f.get("looking-glass.access").severity()).isEqualTo(alexOwnsIt ? Severity.OK : Severity.WARNING);

    Files.setPosixFilePermissions(loaded.resolve("dev/kvmfr0"), PosixFilePermissions.fromString("rw-rw-rw-"));
    assertThat(findings(loaded).get("looking-glass.access").severity()).isEqualTo(Severity.OK);
  }

  @Test
  void doctorCommandShowsThem() throws IOException {
    Path root = host("", false);
    domain(root, "lg-ivshmem.out.xml", "<size unit='M'>64</size>", "<size unit='M'>32</size>");
    CliRunner.Result r = CliRunner.run("doctor", "--sysroot", root.toString(), "--json");
    assertThat(r.out()).contains("\"looking-glass.size\"");
    assertThat(r.code()).isEqualTo(ExitCode.SHORT);
  }
}
