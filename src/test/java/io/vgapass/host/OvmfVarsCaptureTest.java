package io.vgapass.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.testing.OvmfVars;
import io.vgapass.testing.TranscribedHosts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** capture records the variables templates doctor reads (540 KB each, under its 4 MiB per-file bound). */
class OvmfVarsCaptureTest {
  @TempDir Path tmp;

  @Test
  void aReplayedCaptureReadsTheSameSecureBootKeys() throws Exception {
    Path root = TranscribedHosts.hostWith("b560-single-gpu", tmp, "touch usr/bin/swtpm");
    Files.write(root.resolve("usr/share/OVMF/OVMF_VARS_4M.fd"), OvmfVars.debian("OVMF_VARS_4M.ms.fd"));
    Host live = HostReader.read(new SysRoot(root));
    VirtStack.NvramTemplate before = live.virt().template("/usr/share/OVMF/OVMF_VARS_4M.fd").orElseThrow();
    assertThat(before.error()).isNull();
    assertThat(before.keys().kekHas(MicrosoftCerts.KEK_2011)).isTrue();

    Host replayed = CaptureReplayTest.replay(root, tmp);
    assertThat(replayed.virt().nvramTemplates()).isEqualTo(live.virt().nvramTemplates());
    assertThat(replayed.virt().swtpm()).isEqualTo("/usr/bin/swtpm");
  }
}
