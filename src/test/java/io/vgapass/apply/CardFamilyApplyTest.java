package io.vgapass.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * host apply and the card family table (issue 17): the dry-run output for an AMD card with the reset bug (vendor-reset
 * installed for every kernel, and for one kernel of two), a late-binding family and an NVIDIA card, held against
 * golden files under src/test/resources/golden/host-apply ({@code -Dvgapass.golden.update=true} rewrites them), and
 * the files an apply really writes.
 */
class CardFamilyApplyTest {
  @TempDir Path tmp;

  private String dryRun(String host, String golden, String... more) throws IOException {
    Path root = Trees.write(host, tmp);
    List<String> args = new ArrayList<>(List.of("host", "apply", "--sysroot", root.toString(), "--gpu", gpu(host),
        "--dry-run"));
    args.addAll(List.of(more));
    io.vgapass.cli.CliRunner.Result r = Trees.cli(args.toArray(String[]::new));
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    String out = r.out().replace(root.toString(), "ROOT");
    Path file = Path.of("src/test/resources/golden/host-apply", golden);
    if (Boolean.getBoolean("vgapass.golden.update")) Files.writeString(file, out, StandardCharsets.UTF_8);
    assertThat(out).as("golden %s (regenerate with -Dvgapass.golden.update=true)", file)
        .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    return out;
  }

  private static String gpu(String host) {
    return host.equals("fedora39") ? Trees.gpu(host) : "0000:0c:00.0";
  }

  private Path applied(String host, String... more) {
    Path root = Trees.write(host, tmp);
    List<String> args = new ArrayList<>(List.of("host", "apply", "--sysroot", root.toString(), "--gpu", gpu(host),
        "--yes"));
    args.addAll(List.of(more));
    io.vgapass.cli.CliRunner.Result r = Trees.cli(args.toArray(String[]::new));
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    return root;
  }

  @Test
  void vendorResetInstalledForEveryKernelIsSetUp() throws Exception {
    String out = dryRun("polaris-vendor-reset", "polaris-vendor-reset.txt");
    assertThat(out).contains("loading vendor_reset vfio_pci vfio vfio_iommu_type1 vfio_virqfd first")
        .contains("vendor-reset (installed for every kernel) loads before vfio-pci")
        .contains("create /etc/udev/rules.d/62-vgapass-vendor-reset.rules");
    Path root = applied("polaris-vendor-reset");
    assertThat(Trees.read(root, "etc/udev/rules.d/62-vgapass-vendor-reset.rules")).contains(
        "ACTION==\"add\", SUBSYSTEM==\"pci\", ATTR{vendor}==\"0x1002\", ATTR{device}==\"0x67df\", "
            + "ATTR{reset_method}=\"device_specific\"");
    assertThat(Trees.read(root, "etc/modprobe.d/vgapass-vfio.conf")).contains("options vfio-pci ids=1002:67df,1002:aaf0")
        .contains("softdep vfio-pci pre: vendor-reset");
    String modules = Trees.read(root, "etc/initramfs-tools/modules");
    assertThat(modules.indexOf("vendor_reset\n")).isPositive().isLessThan(modules.indexOf("vfio_pci\n"));
    io.vgapass.cli.CliRunner.Result undo = Trees.cli("host", "undo", "--sysroot", root.toString(), "--yes");
    assertThat(undo.code()).isZero();
    assertThat(root.resolve("etc/udev/rules.d/62-vgapass-vendor-reset.rules")).doesNotExist();
  }

  @Test
  void vendorResetMissingForOneKernelIsNotSetUpAndSaysWhich() throws Exception {
    String out = dryRun("polaris-no-vendor-reset", "polaris-no-vendor-reset.txt");
    assertThat(out).contains("note: vendor-reset is not set up: 0000:0c:00.0 (AMD Polaris 10")
        .contains("kernel 6.1.0-20-amd64 has no vendor-reset module")
        .doesNotContain("62-vgapass-vendor-reset").doesNotContain("vendor_reset");
    Path root = applied("polaris-no-vendor-reset");
    assertThat(Trees.read(root, "etc/modprobe.d/vgapass-vfio.conf")).contains("options vfio-pci ids=1002:67df")
        .doesNotContain("vendor-reset");
  }

  @Test
  void aLateBindingFamilyStaysOnItsHostDriverAtBoot() throws Exception {
    String out = dryRun("navi31-late", "navi31-late.txt");
    assertThat(out).contains("stay on their host drivers at boot and go to vfio-pci when the VM starts")
        .contains("binds late").contains("the table's row is unconfirmed")
        .contains("initramfs: unchanged")
        .doesNotContain("vfio-pci.ids").doesNotContain("options vfio-pci");
    Path root = applied("navi31-late");
    assertThat(root.resolve("etc/modprobe.d/vgapass-vfio.conf")).doesNotExist();
    assertThat(Trees.read(root, "etc/default/grub")).contains("iommu=pt").doesNotContain("vfio");
    assertThat(Trees.read(root, "etc/initramfs-tools/modules")).doesNotContain("vfio");
  }

  @Test
  void anNvidiaCardBindsEarlyByIds() throws Exception {
    String out = dryRun("fedora39", "fedora39-nvidia.txt");
    assertThat(out).contains("vfio-pci takes 0000:01:00.0, 0000:01:00.1 (ids 10de:2504,10de:228e) by ids")
        .contains("softdep nvidia pre: vfio-pci").doesNotContain("vendor-reset").doesNotContain("late");
  }

  @Test
  void singleGpuModePreparesTheIommuAndVendorResetButBindsNothingAtBoot() throws Exception {
    String out = dryRun("polaris-single-gpu", "polaris-single-gpu.txt", "--single-gpu");
    assertThat(out).contains("(single-GPU mode: the card is the host's display until then)")
        .contains("note: single-GPU mode: 0000:0c:00.0 stays the host's display at boot")
        .contains("initramfs: unchanged").doesNotContain("vfio-pci.ids").doesNotContain("options vfio-pci");
    Path root = Trees.write("polaris-single-gpu", tmp);
    io.vgapass.cli.CliRunner.Result applied = Trees.cli("host", "apply", "--sysroot", root.toString(), "--single-gpu",
        "--yes");
    assertThat(applied.code()).as(applied.out() + applied.err()).isZero();
    assertThat(applied.out()).contains("plan --gpu 0000:0c:00.0 --single-gpu");
    assertThat(Trees.read(root, "etc/default/grub")).contains("GRUB_CMDLINE_LINUX_DEFAULT=\"quiet iommu=pt\"");
    // vfio-pci loads only when the VM takes the card; vendor-reset must be loaded before it then
    assertThat(Trees.read(root, "etc/modprobe.d/vgapass-vfio.conf")).contains("softdep vfio-pci pre: vendor-reset")
        .doesNotContain("options vfio-pci");
    assertThat(Trees.read(root, "etc/udev/rules.d/62-vgapass-vendor-reset.rules")).contains("device_specific");
    assertThat(Trees.read(root, "etc/initramfs-tools/modules")).doesNotContain("vfio").doesNotContain("vendor");
    // status: the card stays on amdgpu after the reboot (the softdep file binds nothing)
    io.vgapass.cli.CliRunner.Result status = Trees.cli("host", "status", "--sysroot", root.toString());
    assertThat(status.out()).contains("0000:0c:00.0").doesNotContain("after the reboot vfio-pci")
        .contains("not yet in effect (reboot): iommu=pt");
    assertThat(Trees.cli("host", "undo", "--sysroot", root.toString(), "--yes").code()).isZero();
    assertThat(root.resolve("etc/modprobe.d/vgapass-vfio.conf")).doesNotExist();
    assertThat(Trees.read(root, "etc/default/grub")).contains("GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"");
  }

  @Test
  void singleGpuModeIsForTheOnlyCardAndNotBesideAllowHostDisplay() {
    Path two = Trees.write("polaris-vendor-reset", tmp.resolve("two"));
    var before = Trees.hashes(two);
    io.vgapass.cli.CliRunner.Result r = Trees.cli("host", "apply", "--sysroot", two.toString(), "--single-gpu", "--yes");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).startsWith("vgapass: --single-gpu: this host has 2 display devices")
        .contains("drop --single-gpu").doesNotContain("\n");
    Path one = Trees.write("polaris-single-gpu", tmp.resolve("one"));
    r = Trees.cli("host", "apply", "--sysroot", one.toString(), "--single-gpu", "--allow-host-display", "--yes");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--allow-host-display and --single-gpu: choose one");
    r = Trees.cli("host", "apply", "--sysroot", one.toString(), "--yes");
    assertThat(r.err()).as("the refusal names the way").contains("add --single-gpu");
    assertThat(Trees.hashes(two)).isEqualTo(before);
  }
}
