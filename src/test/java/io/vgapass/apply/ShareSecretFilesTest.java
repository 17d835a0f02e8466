package io.vgapass.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secret files (created and put back 0600, never shown) and removals, as the Samba share's password file uses them. */
class ShareSecretFilesTest {
  private static final String PATH = "var/lib/vgapass/shares/win.password";
  private static final byte[] SECRET = "s3cret\n".getBytes(StandardCharsets.UTF_8);
  @TempDir Path dir;

  private String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void aSecretIsCreatedRootOnlyRemovedAndPutBackRootOnly() throws IOException {
    SysRoot root = new SysRoot(dir);
    Applier a = new Applier(root, new ListingRunner(), l -> { }, StepHook.NONE);
    HostChange.FileEdit create = new HostChange.FileEdit(PATH, null, SECRET, "password", true);
    assertThat(Diffs.unified(create)).doesNotContain("s3cret").contains("not shown");
    a.apply(List.of(create), Map.of("command", "share setup"));
    Path p = root.resolve(PATH);
    assertThat(mode(p)).isEqualTo("rw-------");

    HostChange.FileEdit remove = new HostChange.FileEdit(PATH, SECRET, null, "password", true);
    assertThat(remove.removes()).isTrue();
    assertThat(Diffs.unified(remove)).isEqualTo("remove /" + PATH + " (a credential)\n");
    a.apply(List.of(remove), Map.of("command", "share remove"));
    assertThat(p).doesNotExist();

    // the journal reads the removal back (next absent) and undo puts the file back, still root-only
    assertThat(a.undo(false)).isPresent();
    assertThat(Files.readAllBytes(p)).isEqualTo(SECRET);
    assertThat(mode(p)).isEqualTo("rw-------");
    assertThat(a.undo(false)).isPresent();
    assertThat(p).doesNotExist();
  }
}
