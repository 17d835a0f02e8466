package io.vgapass.share;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.domain.FilesystemShare;
import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** share status's values, read from smb.conf and the secret file under a test root. */
class ShareStatusTest {
  @TempDir Path root;

  private void conf(String text) throws IOException {
    Files.createDirectories(root.resolve("etc/samba"));
    Files.writeString(root.resolve(SambaShares.CONF), text);
  }

  @Test
  void readsTheDomainsSectionAndNamesTheSecretFileOnlyWhenItExists() throws IOException {
    conf(SambaConf.add("[global]\n   workgroup = WORKGROUP\n", ShareSambaConfTest.share("win10", "Share")));
    ShareStatus s = ShareStatus.read(new SysRoot(root), "win10", List.of());
    assertThat(s.smb()).isNotNull();
    assertThat(s.smb().name()).isEqualTo("Share");
    assertThat(s.smb().path()).isEqualTo("/home/ann/Share");
    assertThat(s.smb().readOnly()).isFalse();
    assertThat(s.smb().user()).isEqualTo(ShareNames.account("win10"));
    assertThat(s.smb().passwordFile()).isNull();

    Files.createDirectories(root.resolve(SambaShares.SECRETS));
    Files.writeString(root.resolve(SambaShares.secretPath("win10")), "pw\n");
    assertThat(ShareStatus.read(new SysRoot(root), "win10", List.of()).smb().passwordFile())
        .isEqualTo("/" + SambaShares.secretPath("win10"));
  }

  @Test
  void anotherDomainOrNoSmbConfHasNoSmbButKeepsItsVirtiofs() throws IOException {
    FilesystemShare fs = new FilesystemShare("/srv/data", "data", false);
    ShareStatus none = ShareStatus.read(new SysRoot(root), "win10", List.of(fs));
    assertThat(none.smb()).isNull();
    assertThat(none.virtiofs()).containsExactly(new ShareStatus.Virtiofs("data", "/srv/data", false));

    conf(SambaConf.add("[global]\n", ShareSambaConfTest.share("other", "Share")));
    assertThat(ShareStatus.read(new SysRoot(root), "win10", List.of()).smb()).isNull();
  }
}
