package io.vgapass.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vgapass.cli.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each kind of host gets: the right files, the right tools, the right modules. */
class DistroPlanTest {
  @TempDir Path tmp;

  private Path applied(String host) {
    Path root = Trees.write(host, tmp);
    CliRunner.Result r = Trees.cli("host", "apply", "--sysroot", root.toString(), "--gpu", Trees.gpu(host), "--yes");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    return root;
  }

  private JsonNode plan(String host) throws Exception {
    Path root = Trees.write(host, tmp);
    CliRunner.Result r = Trees.cli("host", "plan", "--sysroot", root.toString(), "--gpu", Trees.gpu(host), "--json");
    assertThat(r.code()).as(r.err()).isZero();
    return new ObjectMapper().readTree(r.out());
  }

  private static String commands(JsonNode plan) {
    StringBuilder b = new StringBuilder();
    plan.path("changes").forEach(c -> {
      if (c.path("kind").asText().equals("command")) b.append(c.path("argv").toString()).append('\n');
    });
    return b.toString();
  }

  @Test
  void fedoraGetsGrubbyDracutPerKernelAndSelinuxModule() throws Exception {
    Path root = applied("fedora39");
    assertThat(Trees.read(root, "etc/default/grub")).contains("GRUB_CMDLINE_LINUX=\"rhgb quiet intel_iommu=on iommu=pt\"");
    assertThat(Trees.read(root, "etc/modprobe.d/vgapass-vfio.conf")).contains("options vfio-pci ids=10de:2504,10de:228e")
        .contains("softdep nvidia pre: vfio-pci").contains("softdep snd_hda_intel pre: vfio-pci");
    String dracut = Trees.read(root, "etc/dracut.conf.d/vgapass-vfio.conf");
    assertThat(dracut).contains("force_drivers+=\" vfio_pci vfio vfio_iommu_type1 \"").doesNotContain("virqfd");
    assertThat(Trees.read(root, "etc/vgapass/selinux/vgapass_vm.cil")).contains("(allow svirt_t");
    JsonNode p = plan("fedora39-again".equals("") ? "" : "fedora39");
    assertThat(p.path("notes").toString()).contains("vfio_virqfd is left out");
  }

  @Test
  void fedoraCommandsInOrder() throws Exception {
    String cmds = commands(plan("fedora39"));
    assertThat(cmds).contains("[\"grubby\",\"--update-kernel=ALL\",\"--args=intel_iommu=on iommu=pt\"]")
        .contains("[\"dracut\",\"-f\",\"--kver\",\"6.1.14-200.fc39.x86_64\"]")
        .contains("[\"dracut\",\"-f\",\"--kver\",\"6.8.9-200.fc39.x86_64\"]")
        .contains("[\"semodule\",\"-i\",\"/etc/vgapass/selinux/vgapass_vm.cil\"]");
    assertThat(cmds.indexOf("grubby")).isLessThan(cmds.indexOf("dracut"));
  }

  @Test
  void debianGetsUpdateGrubAndInitramfsTools() throws Exception {
    Path root = applied("debian12");
    assertThat(Trees.read(root, "etc/default/grub")).contains("GRUB_CMDLINE_LINUX_DEFAULT=\"quiet iommu=pt\"")
        .doesNotContain("intel_iommu");
    assertThat(Trees.read(root, "etc/initramfs-tools/modules")).endsWith("vfio\nvfio_iommu_type1\nvfio_virqfd\nvfio_pci\n");
    String cmds = commands(plan("debian12"));
    assertThat(cmds).contains("[\"update-grub\"]").contains("[\"update-initramfs\",\"-u\",\"-k\",\"all\"]");
  }

  @Test
  void ubuntuWithBuiltinVfioUsesTheKernelArgument() throws Exception {
    Path root = applied("ubuntu2204");
    assertThat(Trees.read(root, "etc/default/grub"))
        .contains("GRUB_CMDLINE_LINUX_DEFAULT='quiet splash intel_iommu=on iommu=pt vfio-pci.ids=1002:73ff,1002:ab28'");
    assertThat(Files.exists(root.resolve("etc/modprobe.d/vgapass-vfio.conf"))).isFalse();
    JsonNode p = plan("ubuntu2204");
    assertThat(p.path("binding").asText()).isEqualTo("kernel-argument");
    assertThat(commands(p)).doesNotContain("update-initramfs");
  }

  @Test
  void archPutsVfioFirstInMkinitcpioModules() throws Exception {
    Path root = applied("arch");
    assertThat(Trees.read(root, "etc/mkinitcpio.conf"))
        .contains("MODULES=(vfio_pci vfio vfio_iommu_type1 nvidia nvidia_modeset nvidia_uvm nvidia_drm)");
    String cmds = commands(plan("arch"));
    assertThat(cmds).contains("[\"grub-mkconfig\",\"-o\",\"/boot/grub/grub.cfg\"]").contains("[\"mkinitcpio\",\"-P\"]");
  }

  @Test
  void systemdBootEditsCmdlineAndEveryLinuxEntry() {
    Path root = applied("endeavouros-sdboot");
    assertThat(Trees.read(root, "etc/kernel/cmdline")).isEqualTo("nvme_load=YES nowatchdog rw root=UUID=e0e0 "
        + "intel_iommu=on iommu=pt\n");
    assertThat(Trees.read(root, "efi/loader/entries/0f0f-6.9.7-arch1-1.conf"))
        .contains("options    nvme_load=YES nowatchdog rw root=UUID=e0e0 systemd.machine_id=0f0f intel_iommu=on iommu=pt\n");
    assertThat(Trees.read(root, "efi/loader/entries/0f0f-6.9.7-arch1-1-fallback.conf")).contains("iommu=pt");
    assertThat(Trees.read(root, "efi/loader/entries/memtest.conf")).doesNotContain("iommu");
  }

  @Test
  void popUsesKernelstubWithBuiltinVfio() throws Exception {
    JsonNode p = plan("popos");
    assertThat(commands(p)).contains("[\"kernelstub\",\"--add-options\",\"iommu=pt vfio-pci.ids=1002:73df,1002:ab28\"]");
    assertThat(p.path("changes").get(0).path("inverse").toString())
        .isEqualTo("[\"kernelstub\",\"--delete-options\",\"iommu=pt vfio-pci.ids=1002:73df,1002:ab28\"]");
  }

  @Test
  void silverblueGoesThroughRpmOstree() throws Exception {
    JsonNode p = plan("silverblue");
    String cmds = commands(p);
    assertThat(cmds).contains("[\"rpm-ostree\",\"kargs\",\"--append-if-missing=intel_iommu=on\",\"--append-if-missing=iommu=pt\"]")
        .contains("[\"rpm-ostree\",\"initramfs\",\"--enable\"]").doesNotContain("dracut\"").doesNotContain("grub");
    assertThat(p.path("changes").toString()).doesNotContain("/usr/");
    assertThat(p.path("notes").toString()).contains("rpm-ostree system");
  }

  @Test
  void identicalCardsAreBoundByAddress() throws Exception {
    Path root = applied("twin-rx580");
    String conf = Trees.read(root, "etc/modprobe.d/vgapass-vfio.conf");
    assertThat(conf).doesNotContain("options vfio-pci ids=").contains("0000:0b:00.0 0000:0b:00.1")
        .doesNotContain("0000:0a:00");
    assertThat(Trees.read(root, "etc/udev/rules.d/61-vgapass-vfio.rules"))
        .contains("KERNEL==\"0000:0b:00.0\", ATTR{driver_override}=\"vfio-pci\"");
    JsonNode p = plan("twin-rx580");
    assertThat(p.path("binding").asText()).isEqualTo("driver_override");
    assertThat(p.path("notes").toString()).contains("shared with 0000:0a:00.0");
  }

  @Test
  void theOnlyDisplayIsRefused() {
    Path root = Trees.write("single-gpu", tmp);
    var before = Trees.hashes(root);
    CliRunner.Result r = Trees.cli("host", "apply", "--sysroot", root.toString(), "--gpu", "0000:0c:00.0", "--yes");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).contains("only GPU").doesNotContain("\n");
    assertThat(Trees.hashes(root)).isEqualTo(before);
  }

  @Test
  void withoutYesOrTerminalItRefusesNamingBoth() {
    Path root = Trees.write("debian12", tmp);
    CliRunner.Result r = Trees.cli("host", "apply", "--sysroot", root.toString(), "--gpu", Trees.gpu("debian12"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--yes").contains("--dry-run");
    CliRunner.Result u = Trees.cli("host", "undo", "--sysroot", root.toString());
    assertThat(u.code()).isEqualTo(2);
    assertThat(u.err()).contains("--yes");
  }

  @Test
  void statusTellsNowVersusNextBootAndTheWayBack() throws Exception {
    Path root = applied("fedora39");
    CliRunner.Result s = Trees.cli("host", "status", "--sysroot", root.toString());
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(s.out()).contains("not yet in effect (reboot): intel_iommu=on iommu=pt")
        .contains("0000:01:00.0 10de:2504 now nvidia, after the reboot vfio-pci").contains("committed")
        .contains("press e");
    JsonNode j = new ObjectMapper().readTree(Trees.cli("host", "status", "--sysroot", root.toString(), "--json").out());
    assertThat(j.path("pending").toString()).isEqualTo("[\"intel_iommu=on\",\"iommu=pt\"]");
    assertThat(j.path("journal").get(0).path("state").asText()).isEqualTo("committed");
  }

  @Test
  void aSecondApplyWithMoreArgumentsStacksAndUndoesInOrder() {
    Path root = Trees.write("debian12", tmp);
    var original = Trees.hashes(root);
    assertThat(Trees.cli("host", "apply", "--sysroot", root.toString(), "--gpu", "0c:00.0", "--yes").code()).isZero();
    var first = Trees.hashes(root);
    CliRunner.Result second = Trees.cli("host", "apply", "--sysroot", root.toString(), "--gpu", "0c:00.0", "--yes",
        "--static-isolation", "4-7,12-15");
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(Trees.read(root, "etc/default/grub")).contains("\"quiet iommu=pt isolcpus=4-7,12-15 nohz_full=4-7,12-15 "
        + "rcu_nocbs=4-7,12-15 irqaffinity=0-3,8-11\"");
    assertThat(Trees.cli("host", "undo", "--sysroot", root.toString(), "--yes").code()).isZero();
    assertThat(Trees.hashes(root)).isEqualTo(first);
    assertThat(Trees.cli("host", "undo", "--sysroot", root.toString(), "--yes").code()).isZero();
    assertThat(Trees.hashes(root)).isEqualTo(original);
  }
}
