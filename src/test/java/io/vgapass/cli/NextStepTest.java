package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.host.SysRoot;
import io.vgapass.testing.TranscribedHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The "next:" line every command ends with: one shared wording, this host's values, the root it ran on. */
class NextStepTest {
  @TempDir Path dir;

  @Test
  void stepsAreJoinedInOrderOnOneLine() {
    assertThat(NextStep.line("reboot", "sudo vgapass doctor")).isEqualTo("next: reboot, then sudo vgapass doctor");
  }

  @Test
  void theLiveHostGetsSudoARehearsalRootItsSysroot() {
    assertThat(NextStep.vgapass(SysRoot.live(), "doctor")).isEqualTo("sudo vgapass doctor");
    assertThat(NextStep.vgapass(new SysRoot(dir), "doctor")).isEqualTo("vgapass doctor --sysroot " + dir);
  }

  /** release leads to the VM or back (reclaim of the same card, same root); reclaim to the card's status. */
  @Test
  void gpuReleaseAndReclaimNameTheCardAndTheRoot() throws IOException {
    Path root = TranscribedHosts.hostWith("asrock-z170", dir,
        "pci 0000:01:00.0 10de:1401 class=030000 rev=a1 driver=nouveau parent=0000:00:01.0 boot_vga=0 group=1",
        "pci 0000:01:00.1 10de:0fba class=040300 rev=a1 driver=snd_hda_intel parent=0000:00:01.0 group=1");
    for (String f : List.of("0000:01:00.0", "0000:01:00.1")) { // the drivers' unbind files a transcription leaves out
      Files.writeString(root.resolve("sys/bus/pci/devices/" + f + "/driver/unbind"), "");
    }
    CliRunner.Result r = CliRunner.run("gpu", "release", "0000:01:00.1", "--sysroot", root.toString());
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(nextLines(r)).containsExactly("next: start the VM that takes it (sudo vgapass vm start NAME); give it "
        + "back with vgapass gpu reclaim 0000:01:00.1 --sysroot " + root);
    CliRunner.Result back = CliRunner.run("gpu", "reclaim", "0000:01:00.1", "--sysroot", root.toString());
    assertThat(back.code()).as("%s", back).isZero();
    assertThat(nextLines(back)).containsExactly("next: vgapass gpu status 0000:01:00.1 --sysroot " + root);
    CliRunner.Result dry = CliRunner.run("gpu", "release", "0000:01:00.1", "--dry-run", "--sysroot", root.toString());
    assertThat(nextLines(dry)).as("a dry run changed nothing to go on from").isEmpty();
  }

  private static List<String> nextLines(CliRunner.Result r) {
    return r.out().lines().filter(l -> l.startsWith(NextStep.PREFIX)).toList();
  }
}
