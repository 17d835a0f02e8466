package io.vgapass.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vgapass.apply.HostChange;
import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** input serve --install's unit: its file per domain, its text, and the change that writes it. */
class SwitchServiceUnitTest {
  @TempDir Path root;

  private static final List<String> ARGV = List.of("/usr/bin/java", "-cp", "/opt/v.jar", "io.vgapass.cli.Main",
      "input", "serve", "--domain", "win 10%");

  @Test
  void namesTheFilePerDomainAndEscapesWhatSystemdWouldExpand() {
    SwitchServiceUnit u = new SwitchServiceUnit("win 10%", ARGV);
    assertThat(u.path()).startsWith("etc/systemd/system/vgapass-input-serve-win_10_-").endsWith(".service");
    assertThat(u.name()).isEqualTo(u.path().substring("etc/systemd/system/".length()));
    assertThat(new SwitchServiceUnit("win10", ARGV).name()).isEqualTo("vgapass-input-serve-win10.service");
    assertThat(u.text()).contains("Description=vgapass switch-back service for win 10%%\n",
        "ExecStart=/usr/bin/java -cp /opt/v.jar io.vgapass.cli.Main input serve --domain \"win 10%%\"\n",
        "[Install]\nWantedBy=multi-user.target\n");
  }

  @Test
  void theEditCarriesTheFileNowUnderTheRootAsItsPrior() throws IOException {
    SwitchServiceUnit u = new SwitchServiceUnit("win10", ARGV);
    HostChange.FileEdit fresh = u.edit(new SysRoot(root));
    assertThat(fresh.prior()).isNull();
    assertThat(new String(fresh.next(), StandardCharsets.UTF_8)).isEqualTo(u.text());
    Files.createDirectories(root.resolve(u.path()).getParent());
    Files.writeString(root.resolve(u.path()), "[Unit]\n");
    assertThat(u.edit(new SysRoot(root)).prior()).isEqualTo("[Unit]\n".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aLineBreakInTheDomainIsRefused() {
    assertThatThrownBy(() -> new SwitchServiceUnit("win10\nExecStartPre=/bin/sh", ARGV).text())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control character");
  }
}
