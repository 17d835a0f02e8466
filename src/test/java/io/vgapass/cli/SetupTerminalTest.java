package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vgapass.testing.HostFixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * vgapass setup as a person uses it: in a real terminal (tmux, 120x40), keys sent and the screen read, the CLI started
 * from the built classes as its own process. The reference machine (--example, and as a kept root through a Ctrl-C in
 * the middle of the host preparation, the reboot and the plan) and the one-card B560. Each wait polls the screen with
 * a bound; nothing waits on a fixed sleep alone.
 */
class SetupTerminalTest {
  private static final long WAIT_MS = 120_000;

  @TempDir Path tmp;

  private final String socket = "vgapass-setup-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
  private int runs;

  @AfterEach
  void killOurTmuxServer() throws Exception {
    tmux("kill-server"); // only this test's server: its own socket
  }

  @Test
  void theReferenceMachineFromTheAuditToThePlanAnsweringOnTheTerminal() throws Exception {
    String session = start("--example");
    waitFor(session, "Card for the VM (number) [2]: ");
    assertThat(screen(session)).contains("Not yet: 1 thing to do first", "NVIDIA GP106 [GeForce GTX 1060 6GB]",
        "$ vgapass doctor --example");
    keys(session, "");
    waitFor(session, "Apply these changes? [y/N] ");
    assertThat(screen(session)).contains("$ vgapass host apply --example --gpu 0000:01:00.0 --dry-run",
        "+GRUB_CMDLINE_LINUX=\"rd.lvm.lv=fedora/root rd.lvm.lv=fedora/swap rhgb quiet intel_iommu=on iommu=pt\"");
    keys(session, "y");
    waitFor(session, "Name of the VM [win-gpu]: ");
    assertThat(screen(session)).contains("$ vgapass host apply --example --gpu 0000:01:00.0 --yes", "[7/7]",
        "4. Reboot", "(played: the reference machine (--example) lives for this run only");
    keys(session, "");
    waitFor(session, "Memory for the guest (e.g. 16G) [16G]: ");
    keys(session, "8G");
    waitFor(session, "[3]: ");
    keys(session, "9"); // more than the host has: asked again
    waitFor(session, "1 to 4 (this host's threads)");
    keys(session, "2");
    waitFor(session, "empty for none yet: ");
    keys(session, "");
    waitFor(session, "(Windows 11, Linux; empty for none): ");
    keys(session, "");
    waitFor(session, "[pulseaudio]: ");
    keys(session, "none");
    waitFor(session, "[none]: ");
    keys(session, "");
    String end = waitFor(session, "SETUP-EXIT=");
    assertThat(end).contains("SETUP-EXIT=0",
        "$ vgapass plan --example --gpu 0000:01:00.0 --name win-gpu --memory 8G --vcpus 2 --audio none",
        "vCPUs 2 as", "memory 8192 MiB", "<domain type='kvm'", "6. Define it, install the hooks, selftest",
        "$ sudo vgapass vm define win-gpu.xml", "7. Every day", "sudo vgapass vm start win-gpu");
  }

  @Test
  void aKeptRootThroughCtrlCInTheHostPreparationTheRebootAndThePlan() throws Exception {
    Path root = HostFixtures.write(HostFixtures.Folder.BUILT_IN, "reference-h97", tmp.resolve("h97"));
    Map<String, String> pristine = SetupPathTest.tree(root);
    Path grub = root.resolve("etc/default/grub");
    String grubBefore = Files.readString(grub);

    // 1: Ctrl-C while the apply is half-way (paused after its first file, as a slow initramfs build would be)
    String s1 = start("-Dvgapass.test.pauseAt=4", "--sysroot", root.toString());
    waitFor(s1, "Card for the VM (number) [2]: ");
    keys(s1, "");
    waitFor(s1, "Apply these changes? [y/N] ");
    keys(s1, "y");
    waitFor(s1, "vgapass-test: paused at 4");
    assertThat(Files.readString(grub)).isNotEqualTo(grubBefore); // half-done, for now
    tmux("send-keys", "-t", s1, "C-c");
    assertThat(waitFor(s1, "SETUP-EXIT=")).doesNotContain("SETUP-EXIT=0");

    // 2: the next run takes the half-made apply back first, then asks again; this time it is applied
    String s2 = start("--sysroot", root.toString());
    waitFor(s2, "Apply these changes? [y/N] ");
    assertThat(screen(s2)).contains("rolled back the interrupted apply", "(chosen in the earlier run)");
    assertThat(withoutVgapassState(SetupPathTest.tree(root))).isEqualTo(pristine);
    keys(s2, "y");
    String applied = waitFor(s2, "SETUP-EXIT=");
    assertThat(applied).contains("SETUP-EXIT=0", "[7/7]", "4. Reboot",
        "add them to proc/cmdline under the root, then run vgapass setup --sysroot " + root + " again")
        .doesNotContain("5. The VM");
    assertThat(Files.readString(grub)).contains("intel_iommu=on iommu=pt");

    // the reboot, as the prepared root would show it
    Path cmdline = root.resolve("proc/cmdline");
    Files.writeString(cmdline, Files.readString(cmdline).strip() + " intel_iommu=on iommu=pt\n");
    Map<String, String> prepared = SetupPathTest.tree(root);

    // 3: resumes at the VM, applies nothing again
    String s3 = start("--sysroot", root.toString());
    waitFor(s3, "Name of the VM [win-gpu]: ");
    assertThat(screen(s3)).contains("(chosen in the earlier run)", "done: nothing left to change",
        "done: the running kernel carries intel_iommu=on iommu=pt").doesNotContain("Apply these changes?");
    keys(s3, "games");
    waitFor(s3, "[16G]: ");
    keys(s3, "");
    waitFor(s3, "[3]: ");
    keys(s3, "");
    waitFor(s3, "empty for none yet: ");
    keys(s3, "/srv/Win11_24H2.iso"); // install media as the disk: said, and asked again
    waitFor(s3, "give it at the next question (install ISO)");
    keys(s3, "/dev/sdb");
    waitFor(s3, "(Windows 11, Linux; empty for none): ");
    keys(s3, "/srv/Win11_24H2.iso");
    waitFor(s3, "virtio-win drivers ISO");
    keys(s3, "/srv/virtio-win.iso");
    waitFor(s3, "[pulseaudio]: ");
    keys(s3, "");
    waitFor(s3, "[none]: ");
    keys(s3, "");
    String planned = waitFor(s3, "SETUP-EXIT=");
    assertThat(planned).contains("SETUP-EXIT=0", "--name games --memory 16G --vcpus 3 --disk /dev/sdb "
        + "--install-iso /srv/Win11_24H2.iso --drivers-iso /srv/virtio-win.iso",
        "domain XML written to " + root.resolve("var/lib/vgapass/setup/games.xml"), "7. Every day",
        "sudo vgapass vm start games");
    assertThat(Files.readString(root.resolve("var/lib/vgapass/setup/games.xml")))
        .contains("<name>games</name>", "/dev/sdb", "/srv/Win11_24H2.iso", "/srv/virtio-win.iso", "device='cdrom'");
    Map<String, String> after = SetupPathTest.tree(root);
    after.keySet().removeIf(k -> k.startsWith("var/lib/vgapass/setup"));
    prepared.keySet().removeIf(k -> k.startsWith("var/lib/vgapass/setup"));
    assertThat(after).isEqualTo(prepared); // no host file, no journal entry added after the reboot
  }

  @Test
  void aOneCardHostInSingleGpuModeThroughTheIommuRebootAndThePlan() throws Exception {
    Path root = HostFixtures.write(HostFixtures.Folder.TRANSCRIBED, "b560-single-gpu", tmp.resolve("b560"));
    // the IOMMU still off: no groups, the running kernel and GRUB's defaults without the arguments
    Path groups = root.resolve("sys/kernel/iommu_groups");
    Path aside = tmp.resolve("iommu_groups");
    Files.move(groups, aside);
    Files.createDirectories(groups);
    Path cmdline = root.resolve("proc/cmdline");
    String booted = Files.readString(cmdline);
    Files.writeString(cmdline, booted.replace(" intel_iommu=on iommu=pt", ""));
    Path grub = root.resolve("etc/default/grub");
    Files.writeString(grub, Files.readString(grub).replace(" intel_iommu=on iommu=pt", ""));
    Map<String, String> before = SetupPathTest.tree(root);

    String s1 = start("--sysroot", root.toString());
    waitFor(s1, "Use single-GPU mode (no host display while the VM runs)? [y/N] ");
    assertThat(screen(s1)).contains("This host has one graphics card, 0000:03:00.0", "the host has NO display",
        "unbind 0000:03:00.0 from amdgpu and bind it to vfio-pci", "sudo vgapass gpu reclaim --force");
    keys(s1, "y");
    // host apply --single-gpu: the IOMMU's arguments only, as a diff first
    String shown = waitFor(s1, "Apply these changes? [y/N] ");
    assertThat(shown).contains("$ vgapass host apply --sysroot " + root + " --gpu 0000:03:00.0 --single-gpu --dry-run",
        "+GRUB_CMDLINE_LINUX_DEFAULT=\"quiet intel_iommu=on iommu=pt\"", "single-GPU mode: 0000:03:00.0 stays the "
        + "host's display at boot").doesNotContain("vfio-pci.ids", "vgapass-vfio.conf");
    keys(s1, "y");
    String off = waitFor(s1, "SETUP-EXIT=");
    assertThat(off).contains("A reboot starts the kernel with intel_iommu=on iommu=pt", "SETUP-EXIT=0")
        .doesNotContain("Name of the VM");
    Map<String, String> after = withoutVgapassState(SetupPathTest.tree(root));
    assertThat(after.get("etc/default/grub")).contains("GRUB_CMDLINE_LINUX_DEFAULT=\"quiet intel_iommu=on iommu=pt\"");
    after.remove("etc/default/grub");
    Map<String, String> untouched = new java.util.TreeMap<>(before);
    untouched.remove("etc/default/grub");
    assertThat(after).as("nothing but GRUB's defaults changed").isEqualTo(untouched);
    assertThat(Files.readString(root.resolve("var/lib/vgapass/setup.state"))).contains("single=yes");

    // the reboot: the IOMMU comes up, the arguments are on the running kernel's line
    Files.delete(groups);
    Files.move(aside, groups);
    Files.writeString(cmdline, booted);

    String s2 = start("--sysroot", root.toString());
    waitFor(s2, "Use single-GPU mode (no host display while the VM runs)? [Y/n] "); // the earlier yes is the default
    keys(s2, "");
    waitFor(s2, "Name of the VM [win-gpu]: ");
    assertThat(screen(s2)).contains("done: nothing left to change", "In single-GPU mode nothing is bound to vfio-pci "
        + "at boot", "done: the running kernel carries intel_iommu=on iommu=pt");
    for (int i = 0; i < 7; i++) {
      keys(s2, "");
      Thread.sleep(100); // typed ahead like a person: each answer is read by the next question
    }
    String planned = waitFor(s2, "SETUP-EXIT=");
    Path xml = root.resolve("var/lib/vgapass/setup/win-gpu.xml");
    assertThat(planned).contains("SETUP-EXIT=0", "--audio pulseaudio --single-gpu --xml-out " + xml,
        "single-GPU mode: 0000:03:00.0", "sudo vgapass gpu reclaim --force     # from ssh");
    assertThat(Files.readString(xml)).contains("handover='single'");
  }

  private static Map<String, String> withoutVgapassState(Map<String, String> tree) {
    tree.keySet().removeIf(k -> k.startsWith("var/lib/vgapass/"));
    return tree;
  }

  // ---- the terminal

  /** Starts vgapass setup with these arguments (JVM -D options first) in a new tmux session; returns its name. */
  private String start(String... args) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/tmux")), "tmux is not installed (scripts/test-all.sh installs it)");
    String name = "run" + (++runs);
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path")));
    List<String> rest = new ArrayList<>();
    for (String a : args) (a.startsWith("-D") ? cmd : rest).add(a);
    cmd.addAll(List.of("io.vgapass.cli.Main", "setup"));
    cmd.addAll(rest);
    Path script = tmp.resolve(name + ".sh");
    // the shell outlives a Ctrl-C to say the exit code (a trap, unlike an ignored signal, is not inherited by java)
    Files.writeString(script, "trap 'true' INT\n" + String.join(" ", cmd.stream().map(SetupTerminalTest::quote).toList())
        + "\necho SETUP-EXIT=$?\nsleep 600\n");
    tmux("new-session", "-d", "-s", name, "-x", "120", "-y", "40", "/bin/sh " + quote(script.toString()));
    return name;
  }

  private void keys(String session, String text) throws Exception {
    if (!text.isEmpty()) tmux("send-keys", "-t", session, "-l", text);
    tmux("send-keys", "-t", session, "Enter");
  }

  /** The whole pane, scrollback too, wrapped lines joined. */
  private String screen(String session) throws Exception {
    return tmux("capture-pane", "-p", "-J", "-S", "-", "-t", session);
  }

  /** Polls the screen until it shows {@code text}; fails naming the screen after the bound. */
  private String waitFor(String session, String text) throws Exception {
    long end = System.currentTimeMillis() + WAIT_MS;
    String s = "";
    while (System.currentTimeMillis() < end) {
      s = screen(session);
      if (s.contains(text)) return s;
      Thread.sleep(150);
    }
    throw new AssertionError("the terminal never showed '" + text + "' in " + WAIT_MS / 1000 + " s; it shows:\n" + s);
  }

  private String tmux(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("tmux " + String.join(" ", args) + " did not answer in 30 s");
    }
    return out;
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
