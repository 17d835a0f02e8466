package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.host.SysRoot;
import io.vgapass.runtime.HookInstaller;
import io.vgapass.runtime.HookScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hooks install goes through the host journal (issue 18): --dry-run writes nothing, the hook is created executable,
 * an earlier hook is kept beside it, and {@code vgapass host undo} takes the install back, the earlier hook included.
 */
class HooksInstallJournalTest {
  @TempDir Path root;

  @Test
  void aDropInIsJournaledAndUndone() throws IOException {
    HookInstaller installer = new HookInstaller(new SysRoot(root));
    String hook = installer.hookPath("9.0.0");
    installer.install(null, "/nonexistent.jar", "java", "9.0.0", true);
    assertThat(root.resolve(hook)).doesNotExist();
    assertThat(root.resolve("var")).doesNotExist(); // no journal either

    installer.install(null, "/nonexistent.jar", "java", "9.0.0", false);
    assertThat(Files.readString(root.resolve(hook))).contains(HookScript.MARKER);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve(hook))))
        .isEqualTo("rwxr-xr-x");
    try (var entries = Files.list(root.resolve(io.vgapass.apply.Journal.DIR))) {
      assertThat(entries.map(e -> e.getFileName().toString()).filter(n -> !n.startsWith("."))).hasSize(1);
    }

    CliRunner.Result undo = CliRunner.run("host", "undo", "--yes", "--sysroot", root.toString());
    assertThat(undo.code()).as(undo.err()).isZero();
    assertThat(root.resolve(hook)).doesNotExist();
    assertThat(installer.installed()).isFalse();
  }

  @Test
  void anEarlierClassicHookIsKeptAndPutBackByUndo() throws IOException {
    Path hooks = Files.createDirectories(root.resolve("etc/libvirt/hooks"));
    Files.writeString(hooks.resolve("qemu"), "#!/bin/sh\n# someone else's hook\n");
    Files.setPosixFilePermissions(hooks.resolve("qemu"), PosixFilePermissions.fromString("rwxr-x---"));
    HookInstaller installer = new HookInstaller(new SysRoot(root));
    installer.install(null, "/nonexistent.jar", "java", "6.0.0", false);
    assertThat(Files.readString(hooks.resolve("qemu"))).contains(HookScript.MARKER)
        .contains("/etc/libvirt/hooks/qemu.vgapass-previous");
    assertThat(Files.readString(hooks.resolve("qemu.vgapass-previous"))).contains("someone else's hook");
    assertThat(Files.isExecutable(hooks.resolve("qemu.vgapass-previous"))).isTrue();

    CliRunner.Result undo = CliRunner.run("host", "undo", "--yes", "--sysroot", root.toString());
    assertThat(undo.code()).as(undo.err()).isZero();
    assertThat(Files.readString(hooks.resolve("qemu"))).isEqualTo("#!/bin/sh\n# someone else's hook\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(hooks.resolve("qemu"))))
        .isEqualTo("rwxr-x---");
    assertThat(hooks.resolve("qemu.vgapass-previous")).doesNotExist();
  }
}
