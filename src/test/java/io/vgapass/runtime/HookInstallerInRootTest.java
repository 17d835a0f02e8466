package io.vgapass.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hooks install --sysroot DIR} writes and removes only inside DIR, whatever links it holds (issue 16). */
class HookInstallerInRootTest {
  @TempDir Path tmp;

  private static long count(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.count();
    }
  }

  @Test
  void aHooksDirectoryLinkedOutOfTheRootIsTheRootsOwn() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("root/etc/libvirt")).getParent().getParent();
    Path outside = Files.createDirectories(tmp.resolve("elsewhere/hooks"));
    Files.writeString(outside.resolve("qemu"), "#!/bin/sh\n# someone else's hook\n");
    for (String target : new String[] {outside.toString(), "../".repeat(tmp.getNameCount() + 5)
        + tmp.toString().substring(1) + "/elsewhere/hooks"}) {
      Path hooks = root.resolve("etc/libvirt/hooks");
      Files.deleteIfExists(hooks);
      Files.createSymbolicLink(hooks, Path.of(target));
      HookInstaller installer = new HookInstaller(new SysRoot(root));
      installer.install(null, "/nonexistent.jar", "java", "6.0.0", false);
      assertThat(count(tmp.resolve("elsewhere"))).as(target).isEqualTo(3);
      assertThat(Files.readString(outside.resolve("qemu"))).contains("someone else's hook");
      Path inside = root.resolve(tmp.toString().substring(1) + "/elsewhere/hooks/qemu");
      if (target.startsWith("/")) inside = root.resolve(outside.toString().substring(1) + "/qemu");
      assertThat(Files.readString(inside)).as(target).contains(HookScript.MARKER);
      assertThat(installer.installed()).isTrue();
      installer.uninstall(false);
      assertThat(Files.exists(inside)).isFalse();
      assertThat(Files.readString(outside.resolve("qemu"))).contains("someone else's hook");
    }
  }

  @Test
  void aFifoWhereTheHookGoesDoesNotHangTheInstall() throws Exception {
    Path root = tmp.resolve("root");
    Path hooks = Files.createDirectories(root.resolve("etc/libvirt/hooks"));
    assertThat(new ProcessBuilder("mkfifo", hooks.resolve("qemu").toString()).start().waitFor()).isZero();
    HookInstaller installer = new HookInstaller(new SysRoot(root));
    // the journal records files only: a FIFO there is refused in one line, before anything changes (issue 18)
    Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      assertThat(installer.installed()).isFalse();
      assertThatThrownBy(() -> installer.install(null, "/nonexistent.jar", "java", "6.0.0", false))
          .isInstanceOf(io.vgapass.apply.Refusal.class).hasMessageContaining("not a regular file; move it aside");
    });
    assertThat(Files.isRegularFile(hooks.resolve("qemu"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(hooks.resolve("qemu.vgapass-previous")).doesNotExist();
  }
}
