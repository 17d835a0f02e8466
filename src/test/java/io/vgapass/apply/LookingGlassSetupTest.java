package io.vgapass.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.cli.CliRunner;
import io.vgapass.host.sketch.HostSketch;
import io.vgapass.host.sketch.SketchWriter;
import io.vgapass.plan.TestHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vgapass looking-glass setup} over a writable copy of the Debian 12 fixture: the diffs in a dry run (nothing
 * written), the files after apply, nothing more to do the second time, and {@code host undo} giving /etc back byte
 * for byte.
 */
class LookingGlassSetupTest {
  private static final String QEMU_CONF = """
      # Master configuration file for the QEMU driver.
      #cgroup_device_acl = [
      #    "/dev/null", "/dev/full", "/dev/zero",
      #    "/dev/random", "/dev/urandom",
      #    "/dev/ptmx", "/dev/kvm",
      #    "/dev/userfaultfd"
      #]
      """;

  @TempDir
  Path tmp;

  private Path host(boolean kvmfr) throws IOException {
    String text = TestHosts.text(TestHosts.MODERN) + "\nfile sys/module/apparmor/parameters/enabled\nY\nend\n"
        + "file etc/group\nroot:x:0:\nkvm:x:993:alex\nend\n"
        + (kvmfr ? "touch lib/modules/6.1.0-18-amd64/updates/dkms/kvmfr.ko.xz\n" : "");
    Path root = SketchWriter.write(HostSketch.parse("lg", text), tmp.resolve(kvmfr ? "kvmfr" : "ivshmem"));
    Files.writeString(root.resolve("etc/libvirt/qemu.conf"), QEMU_CONF);
    return root;
  }

  @Test
  void kvmfrFilesThroughTheJournal() throws IOException {
    Path root = host(true);
    Map<String, String> before = etc(root);
    CliRunner.Result dry = CliRunner.run("looking-glass", "setup", "--sysroot", root.toString(), "--resolution",
        "2560x1440", "--dry-run");
    assertThat(dry.code()).as("%s", dry).isZero();
    assertThat(dry.out()).contains("64 MiB for 2560x1440 on /dev/kvmfr0", "+options kvmfr static_size_mb=64",
        "+SUBSYSTEM==\"kvmfr\", OWNER=\"alex\", GROUP=\"kvm\", MODE=\"0660\"", "+    \"/dev/kvmfr0\"",
        "+/dev/kvmfr0 rw,", "dry run: nothing was written");
    assertThat(etc(root)).isEqualTo(before);

    CliRunner.Result apply = CliRunner.run("looking-glass", "setup", "--sysroot", root.toString(), "--resolution",
        "2560x1440");
    assertThat(apply.code()).as("%s", apply).isZero();
    assertThat(Files.readString(root.resolve("etc/modprobe.d/vgapass-kvmfr.conf"))).endsWith(
        "options kvmfr static_size_mb=64\n");
    assertThat(Files.readString(root.resolve("etc/modules-load.d/vgapass-kvmfr.conf"))).endsWith("\nkvmfr\n");
    assertThat(Files.readString(root.resolve("etc/libvirt/qemu.conf"))).startsWith(QEMU_CONF).endsWith("""
        cgroup_device_acl = [
            "/dev/null",
            "/dev/full",
            "/dev/zero",
            "/dev/random",
            "/dev/urandom",
            "/dev/ptmx",
            "/dev/kvm",
            "/dev/userfaultfd",
            "/dev/kvmfr0"
        ]
        """);
    assertThat(Files.readString(root.resolve("etc/apparmor.d/local/abstractions/libvirt-qemu")))
        .contains("/dev/kvmfr0 rw,");

    CliRunner.Result again = CliRunner.run("looking-glass", "setup", "--sysroot", root.toString(), "--resolution",
        "2560x1440");
    assertThat(again.out()).contains("already in place");

    CliRunner.Result undo = CliRunner.run("host", "undo", "--sysroot", root.toString(), "--yes");
    assertThat(undo.code()).as("%s", undo).isZero();
    assertThat(etc(root)).isEqualTo(before);
  }

  @Test
  void ivshmemGetsATmpfilesRule() throws IOException {
    Path root = host(false);
    Map<String, String> before = etc(root);
    CliRunner.Result apply = CliRunner.run("looking-glass", "setup", "--sysroot", root.toString());
    assertThat(apply.code()).as("%s", apply).isZero();
    assertThat(apply.out()).contains("32 MiB for 1920x1080 in /dev/shm/looking-glass (IVSHMEM");
    assertThat(Files.readString(root.resolve("etc/tmpfiles.d/vgapass-looking-glass.conf")))
        .endsWith("\nf /dev/shm/looking-glass 0660 alex kvm -\n");
    assertThat(Files.readString(root.resolve("etc/libvirt/qemu.conf"))).isEqualTo(QEMU_CONF);
    assertThat(root.resolve("etc/modprobe.d/vgapass-kvmfr.conf")).doesNotExist();
    assertThat(CliRunner.run("host", "undo", "--sysroot", root.toString(), "--yes").code()).isZero();
    assertThat(etc(root)).isEqualTo(before);
  }

  @Test
  void aListInForceGetsTheDeviceOnce() {
    String conf = "x = 1\ncgroup_device_acl = [ \"/dev/null\", \"/dev/kvm\" ]\ny = 2\n";
    String next = LookingGlassHostFiles.withDevice(conf, "/dev/kvmfr0");
    assertThat(next).isEqualTo("x = 1\ncgroup_device_acl = [ \"/dev/null\", \"/dev/kvm\",\n    \"/dev/kvmfr0\"\n]\n"
        + "y = 2\n");
    assertThat(LookingGlassHostFiles.withDevice(next, "/dev/kvmfr0")).isEqualTo(next);
    assertThat(LookingGlassHostFiles.withDevice("", "/dev/kvmfr0")).contains("\"/dev/kvm\",\n    \"/dev/kvmfr0\"\n]");
  }

  private static Map<String, String> etc(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root.resolve("etc"))) {
      for (Path p : s.filter(Files::isRegularFile).toList()) out.put(root.relativize(p).toString(), Files.readString(p));
    }
    return out;
  }
}
