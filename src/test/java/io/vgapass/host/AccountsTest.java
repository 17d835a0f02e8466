package io.vgapass.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Users and groups by name, from the root's etc/passwd and etc/group. */
class AccountsTest {
  @TempDir Path root;

  @Test
  void namesAreWholeFieldsOfTheRootsFiles() throws IOException {
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/passwd"), "root:x:0:0::/root:/bin/bash\nann:x:1000:1000::/home/ann:/bin/bash\n");
    Files.writeString(root.resolve("etc/group"), "root:x:0:\nkvm:x:993:ann\n");
    SysRoot r = new SysRoot(root);
    assertThat(Accounts.hasUser(r, "ann")).isTrue();
    assertThat(Accounts.hasUser(r, "an")).isFalse(); // a prefix of a name is not the name
    assertThat(Accounts.hasUser(r, "kvm")).isFalse(); // a group is not a user
    assertThat(Accounts.hasGroup(r, "kvm")).isTrue();
    assertThat(Accounts.hasGroup(r, "ann")).isFalse();
  }

  @Test
  void aRootWithoutTheFilesHasNoOne() {
    SysRoot r = new SysRoot(root);
    assertThat(Accounts.hasUser(r, "root")).isFalse();
    assertThat(Accounts.hasGroup(r, "kvm")).isFalse();
  }
}
