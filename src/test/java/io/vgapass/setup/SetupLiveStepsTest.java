package io.vgapass.setup;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.cli.CliRunner;
import io.vgapass.host.SysRoot;
import io.vgapass.testing.HostFixtures;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The steps setup takes on a live host after the reboot, in order, and what it leaves alone because the host shows it
 * done. This machine cannot be the prepared, rebooted host, so the host is the reference machine prepared by the real
 * host apply with its proc/cmdline as after the boot, setup is told it is live, and the commands it would run are
 * recorded instead of run (define, hooks and selftest each have their own tests against the real libvirtd).
 */
class SetupLiveStepsTest {
  @TempDir Path tmp;

  private Path root;
  private final List<List<String>> ran = new ArrayList<>();
  private final StringWriter text = new StringWriter();

  @BeforeEach
  void preparedAndRebooted() throws IOException {
    root = HostFixtures.write(HostFixtures.Folder.BUILT_IN, "reference-h97", tmp.resolve("h97"));
    CliRunner.Result apply = CliRunner.run("host", "apply", "--sysroot", root.toString(), "--gpu", "0000:01:00.0",
        "--yes");
    assertThat(apply.code()).as(apply.toString()).isZero();
    Path cmdline = root.resolve("proc/cmdline");
    Files.writeString(cmdline, Files.readString(cmdline).strip() + " intel_iommu=on iommu=pt\n");
  }

  private int setup(boolean defined, int planExit) {
    return setup(defined, planExit, List.of());
  }

  private int setup(boolean defined, int planExit, List<String> connect) {
    Setup.Where live = new Setup.Where(List.of(), "", "this host", false, connect);
    Dialogue noOne = new Dialogue(new PrintWriter(text, true), () -> null, false);
    StepRunner recorder = args -> {
      ran.add(List.copyOf(args));
      return args.get(0).equals("plan") ? planExit : 0;
    };
    return new Setup(new SysRoot(root), live, Setup.Mode.DEFAULTS, noOne, recorder, new PrintWriter(text, true),
        name -> defined).run();
  }

  @Test
  void afterTheRebootItDefinesInstallsTheHooksAndRunsSelftestEachAsItsCommand() {
    assertThat(setup(false, 0)).isZero();
    assertThat(ran).containsExactly(
        List.of("plan", "--gpu", "0000:01:00.0", "--name", "win-gpu", "--memory", "16G", "--vcpus", "3", "--audio",
            "pulseaudio", "--define"),
        List.of("hooks", "install"), List.of("selftest"));
    assertThat(text.toString()).contains("$ vgapass plan --gpu 0000:01:00.0 --name win-gpu --memory 16G --vcpus 3 "
        + "--audio pulseaudio --define", "$ vgapass hooks install", "$ vgapass selftest",
        "sudo vgapass vm start win-gpu && sudo vgapass verify win-gpu").doesNotContain("rehearsal");
  }

  @Test
  void aLibvirtTheUserNamedIsTheOneDefinedInAndSelftested() {
    assertThat(setup(false, 0, List.of("--connect", "qemu+ssh://box/system"))).isZero();
    assertThat(ran).extracting(l -> String.join(" ", l)).containsExactly(
        "plan --gpu 0000:01:00.0 --name win-gpu --memory 16G --vcpus 3 --audio pulseaudio --define --connect "
            + "qemu+ssh://box/system", "hooks install", "selftest --connect qemu+ssh://box/system");
  }

  @Test
  void whatTheHostShowsDoneIsNotDoneAgain() throws IOException {
    Path hook = root.resolve("etc/libvirt/hooks/qemu");
    Files.createDirectories(hook.getParent());
    Files.writeString(hook, "#!/bin/sh\n# vgapass hook\n");
    assertThat(setup(true, 0)).isZero();
    assertThat(ran).containsExactly(List.of("selftest"));
    assertThat(text.toString()).contains("win-gpu is defined in libvirt already: left as it is",
        "installed already (/etc/libvirt/hooks)");
  }

  @Test
  void aFailedStepStopsThePathWithItsExitCode() {
    assertThat(setup(false, 3)).isEqualTo(3);
    assertThat(ran).hasSize(1);
    assertThat(text.toString()).contains("setup stopped at this step (exit 3)").doesNotContain("Every day");
  }
}
