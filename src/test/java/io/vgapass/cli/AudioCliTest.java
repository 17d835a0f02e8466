package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioCliTest {
  private static final String TEST = "test:///default";
  @TempDir Path dir;

  private String root(boolean pipewire) throws IOException {
    Files.createDirectories(dir.resolve("etc"));
    Files.createDirectories(dir.resolve("sys"));
    Files.createDirectories(dir.resolve("proc"));
    Files.writeString(dir.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/bash\n"
        + "alex:x:1000:1000:Alex:/home/alex:/bin/bash\n");
    if (pipewire) {
      Files.createDirectories(dir.resolve("usr/bin"));
      Files.writeString(dir.resolve("usr/bin/pipewire-pulse"), "");
    }
    return dir.toString();
  }

  @Test
  void pulseAudioDropInIsJournaledAndUndone() throws IOException {
    Path f = dir.resolve("etc/pulse/default.pa.d/vgapass.pa");
    CliRunner.Result dry = CliRunner.run("audio", "setup", "--sysroot", root(false), "--dry-run");
    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.out()).contains("sound server: PulseAudio of alex")
        .contains("+load-module module-native-protocol-unix auth-anonymous=1 socket=/tmp/vgapass-pulse")
        .contains("vgapass audio setup --domain NAME   adds:")
        .contains("<audio id='1' type='pulseaudio' serverName='/tmp/vgapass-pulse'/>")
        .contains("dry run: nothing was written");
    assertThat(f).doesNotExist();
    CliRunner.Result real = CliRunner.run("audio", "setup", "--sysroot", dir.toString());
    assertThat(real.code()).as(real.err()).isZero();
    assertThat(Files.readString(f)).isEqualTo("""
        # written by vgapass audio setup; vgapass host undo removes it
        # a second native-protocol socket that libvirt's QEMU user can reach (anonymous: local clients only)
        load-module module-native-protocol-unix auth-anonymous=1 socket=/tmp/vgapass-pulse
        """);
    CliRunner.Result again = CliRunner.run("audio", "setup", "--sysroot", dir.toString());
    assertThat(again.out()).contains("already in place");
    CliRunner.Result undo = CliRunner.run("host", "undo", "--yes", "--sysroot", dir.toString());
    assertThat(undo.code()).as(undo.err()).isZero();
    assertThat(f).doesNotExist();
  }

  @Test
  void theDomainGetsTheMatchingAudioThroughTheDomainEngine() throws IOException {
    Path f = dir.resolve("etc/pulse/default.pa.d/vgapass.pa");
    CliRunner.Result dry = CliRunner.run("audio", "setup", "--sysroot", root(false), "--domain", "test", "--connect", TEST, "--dry-run");
    assertThat(dry.code()).as(dry.err()).isZero();
    // both changes as diffs: the drop-in, and the domain's inactive XML with the <audio>, <sound> and ownership
    assertThat(dry.out()).contains("+++ b/etc/pulse/default.pa.d/vgapass.pa")
        .contains("+++ b: domain test (inactive XML)")
        .contains("+    <audio id='1' type='pulseaudio' serverName='/tmp/vgapass-pulse'/>")
        .contains("+    <sound model='ich9'>")
        .containsPattern("\\+      <vgapass:owns kind='audio' key='sound' digest='sha256:[0-9a-f]{16}'/>")
        .contains("domain test: adds the <audio> backend and an ich9 <sound> playing to it")
        .contains("dry run: nothing was written or defined")
        .doesNotContain("vcpupin").doesNotContain("hugepages");
    assertThat(f).doesNotExist();
    CliRunner.Result real = CliRunner.run("audio", "setup", "--sysroot", dir.toString(), "--domain", "test", "--connect", TEST);
    assertThat(real.code()).as(real.err()).isZero();
    assertThat(real.out()).contains("redefined test (takes effect at its next start; undo: vgapass audio undo "
        + "--domain test)");
    assertThat(f).exists();
    // test:///default starts afresh on every connection: the undo finds nothing of vgapass's there
    CliRunner.Result undo = CliRunner.run("audio", "undo", "--domain", "test", "--connect", TEST);
    assertThat(undo.code()).as(undo.err()).isZero();
    assertThat(undo.out()).contains("has no sound device added by vgapass; nothing to undo");
  }

  @Test
  void aMissingDomainChangesNothing() throws IOException {
    CliRunner.Result r = CliRunner.run("audio", "setup", "--sysroot", root(false), "--domain", "nope", "--connect", TEST);
    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.errLines()).containsExactly("vgapass: --domain nope: no such domain on test:///default "
        + "(virsh list --all)");
    assertThat(dir.resolve("etc/pulse")).doesNotExist();
    CliRunner.Result undo = CliRunner.run("audio", "undo", "--domain", "nope", "--connect", TEST);
    assertThat(undo.code()).isEqualTo(ExitCode.USAGE);
  }

  @Test
  void pipewireIsDetectedOrChosen() throws IOException {
    CliRunner.Result r = CliRunner.run("audio", "setup", "--sysroot", root(true), "--dry-run");
    assertThat(r.out()).contains("pipewire-pulse of alex")
        .contains("+++ b/etc/pipewire/pipewire-pulse.conf.d/vgapass.conf")
        .contains("server.address = [ \"unix:/tmp/vgapass-pulse\" ]")
        .contains("systemctl --user restart pipewire-pulse");
    CliRunner.Result real = CliRunner.run("audio", "setup", "--sysroot", dir.toString());
    assertThat(real.code()).as(real.err()).isZero();
    assertThat(Files.readString(dir.resolve("etc/pipewire/pipewire-pulse.conf.d/vgapass.conf"))).isEqualTo("""
        # written by vgapass audio setup; vgapass host undo removes it
        # pipewire-pulse appends this address to its own (unix:native): a socket libvirt's QEMU user can reach
        pulse.properties = {
            server.address = [ "unix:/tmp/vgapass-pulse" ]
        }
        """);
    CliRunner.Result forced = CliRunner.run("audio", "setup", "--sysroot", dir.toString(), "--dry-run", "--pulseaudio");
    assertThat(forced.out()).contains("PulseAudio of alex");
  }

  @Test
  void aUserNameThatIsNotOneIsRefusedBeforeItReachesAFile() throws IOException {
    root(false);
    // a damaged /etc/passwd: its first desktop user's name would end a udev rule's quote and add a RUN key
    Files.writeString(dir.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/bash\n"
        + "x\", RUN+=\"/tmp/evil:x:1000:1000::/home/x:/bin/sh\n");
    var before = Files.readString(dir.resolve("etc/passwd"));
    for (String[] cmd : List.of(new String[] {"audio", "setup"}, new String[] {"looking-glass", "setup"})) {
      CliRunner.Result r = CliRunner.run(cmd[0], cmd[1], "--sysroot", dir.toString());
      assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCode.USAGE);
      assertThat(r.errLines()).singleElement().asString()
          .startsWith("vgapass: the desktop user in /etc/passwd, x\", RUN+=\"/tmp/evil, is not a user name");
    }
    CliRunner.Result named = CliRunner.run("looking-glass", "setup", "--sysroot", dir.toString(), "--user", "a\";b");
    assertThat(named.errLines()).containsExactly("vgapass: --user a\";b, is not a user name (letters, digits, '.', "
        + "'_', '-', at most 32): give --user NAME");
    try (var files = Files.walk(dir)) {
      assertThat(files.filter(Files::isRegularFile).map(dir::relativize).map(Object::toString))
          .containsExactly("etc/passwd");
    }
    assertThat(Files.readString(dir.resolve("etc/passwd"))).isEqualTo(before);
  }

  @Test
  void unknownUserIsRefused() throws IOException {
    CliRunner.Result r = CliRunner.run("audio", "setup", "--sysroot", root(false), "--user", "bob");
    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.errLines()).containsExactly("vgapass: --user bob: no such user in /etc/passwd");
    CliRunner.Result both = CliRunner.run("audio", "setup", "--sysroot", dir.toString(), "--pipewire", "--pulseaudio");
    assertThat(both.code()).isEqualTo(ExitCode.USAGE);
  }
}
