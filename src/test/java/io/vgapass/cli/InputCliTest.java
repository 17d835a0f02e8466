package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** input commands' bad input: refused before libvirt is asked (the URI below does not even exist). */
class InputCliTest {
  private static final String NOWHERE = "test:///nonexistent/vgapass.xml";
  @TempDir Path dir;

  private Path qemuTwins() throws IOException {
    String d = "sys/bus/usb/devices/";
    for (String[] dev : new String[][] {{"1-1", "2", "QEMU USB Keyboard", "01"}, {"1-2", "3", "QEMU USB Tablet", "02"}}) {
      Path p = Files.createDirectories(dir.resolve(d + dev[0]));
      Files.writeString(p.resolve("busnum"), "1\n");
      Files.writeString(p.resolve("devnum"), dev[1] + "\n");
      Files.writeString(p.resolve("idVendor"), "0627\n");
      Files.writeString(p.resolve("idProduct"), "0001\n");
      Files.writeString(p.resolve("product"), dev[2] + "\n");
      Path i = Files.createDirectories(dir.resolve(d + dev[0] + ":1.0"));
      Files.writeString(i.resolve("bInterfaceClass"), "03\n");
      Files.writeString(i.resolve("bInterfaceProtocol"), dev[3] + "\n");
    }
    return dir;
  }

  @Test
  void devicesListsKeyboardsAndMice() throws IOException {
    CliRunner.Result r = CliRunner.run("input", "devices", "--sysroot", qemuTwins().toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("1-1 0627:0001 QEMU USB Keyboard (keyboard)\n1-2 0627:0001 QEMU USB Tablet (mouse)\n");
    CliRunner.Result j = CliRunner.run("input", "devices", "--sysroot", dir.toString(), "--json");
    io.vgapass.testing.JsonContract.assertShape("input-devices", j.out());
    assertThat(j.out()).contains("\"name\" : \"1-1\"").contains("\"roles\" : [ \"KEYBOARD\" ]");
    // the shape docs/json.md gives, and roles in a stable order
    io.vgapass.input.UsbDevice both = new io.vgapass.input.UsbDevice("1-2", 1, 3, "046D", "C52B", "Logitech",
        "USB Receiver", java.util.Set.of(io.vgapass.input.UsbDevice.Role.MOUSE, io.vgapass.input.UsbDevice.Role.KEYBOARD),
        List.of("/dev/input/by-id/usb-Logitech_USB_Receiver-event-kbd"));
    assertThat(Json.write(List.of(both))).isEqualTo("""
        [ {
          "name" : "1-2",
          "bus" : 1,
          "devnum" : 3,
          "vendorId" : "046d",
          "productId" : "c52b",
          "manufacturer" : "Logitech",
          "product" : "USB Receiver",
          "roles" : [ "KEYBOARD", "MOUSE" ],
          "inputs" : [ "/dev/input/by-id/usb-Logitech_USB_Receiver-event-kbd" ]
        } ]""");
  }

  @Test
  void unknownDeviceIsRefusedBeforeLibvirt() throws IOException {
    CliRunner.Result r = CliRunner.run("input", "attach", "--domain", "win", "--device", "dead:beef", "--sysroot", qemuTwins().toString(),
        "--connect", NOWHERE);
    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.errLines()).containsExactly("vgapass: --device dead:beef: no USB device dead:beef on this host (it "
        + "has: 1-1 0627:0001, 1-2 0627:0001); nothing was changed");
  }

  @Test
  void theLastKeyboardIsRefusedWithoutBackAfter() throws IOException {
    CliRunner.Result r = CliRunner.run("input", "attach", "--domain", "win", "--sysroot", qemuTwins().toString(), "--connect", NOWHERE);
    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.out()).contains("note: 0627:0001 is shared by 2 devices (1-1, 1-2): 1-1 is addressed by bus 1 port 1");
    assertThat(r.err()).contains("last keyboard (1-1)").contains("--back-after");
    CliRunner.Result zero = CliRunner.run("input", "toggle", "--domain", "win", "--sysroot", dir.toString(), "--back-after", "0",
        "--connect", NOWHERE);
    assertThat(zero.code()).isEqualTo(ExitCode.USAGE);
    assertThat(zero.err()).contains("--back-after 0: give at least 1 second");
  }

  @Test
  void serveRefusesEveryAddressUnlessWrittenOut() {
    for (String listen : new String[] {":47801", "*:47801", "0:47801"}) {
      CliRunner.Result r = CliRunner.run("input", "serve", "--domain", "win", "--emulated", "keyboard", "--listen", listen,
          "--token-file", dir.resolve("tok").toString(), "--connect", NOWHERE);
      assertThat(r.code()).as(listen).isEqualTo(ExitCode.USAGE);
      assertThat(r.errLines()).singleElement().asString().contains("every address");
    }
    assertThat(dir.resolve("tok")).doesNotExist();
  }

  @Test
  void serveInstallWritesAJournaledUnit() throws IOException {
    CliRunner.Result dry = CliRunner.run("input", "serve", "--install", "--dry-run", "--domain", "win10", "--sysroot", dir.toString(),
        "--listen", "192.168.150.1:47801");
    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.out()).contains("+++ b/etc/systemd/system/vgapass-input-serve-win10.service")
        .contains("input serve --domain win10 --connect qemu:///system --hostonly vgapass-hostonly --listen "
            + "192.168.150.1:47801");
    assertThat(dir.resolve("etc/systemd/system/vgapass-input-serve-win10.service")).doesNotExist();
    CliRunner.Result real = CliRunner.run("input", "serve", "--install", "--domain", "win10", "--sysroot", dir.toString());
    assertThat(real.code()).as(real.err()).isZero();
    // golden, but for this JVM's java binary and class path
    String unit = Files.readString(dir.resolve("etc/systemd/system/vgapass-input-serve-win10.service"))
        .replace(io.vgapass.input.BackAfter.javaCommand().get(0), "JAVA")
        .replace(System.getProperty("java.class.path"), "CLASSPATH");
    assertThat(unit).isEqualTo("""
        # written by vgapass input serve --install; vgapass host undo removes it
        [Unit]
        Description=vgapass switch-back service for win10
        After=libvirtd.service network-online.target
        Wants=libvirtd.service

        [Service]
        ExecStart=JAVA -cp CLASSPATH io.vgapass.cli.Main input serve --domain win10 --connect qemu:///system \
        --hostonly vgapass-hostonly
        Restart=on-failure
        RestartSec=5

        [Install]
        WantedBy=multi-user.target
        """);
    CliRunner.Result undo = CliRunner.run("host", "undo", "--yes", "--sysroot", dir.toString());
    assertThat(undo.code()).as(undo.err()).isZero();
    assertThat(dir.resolve("etc/systemd/system/vgapass-input-serve-win10.service")).doesNotExist();
  }

  /**
   * Issue 16.9: a line break in --domain would write a line of its own into the unit (here an ExecStartPre=): refused
   * in one line, nothing written; '%' and '$' are escaped where systemd would expand them, and the unit's file name
   * keeps domains apart that differ only in replaced characters.
   */
  @Test
  void serveInstallEscapesOrRefusesWhatTheUnitCannotCarry() throws IOException {
    for (String domain : List.of("win10\nExecStartPre=/bin/sh -c 'touch /tmp/x'", "win10\u2028x", "win10\\")) {
      CliRunner.Result r = CliRunner.run("input", "serve", "--install", "--domain", domain, "--sysroot", dir.toString());
      assertThat(r.code()).as(domain).isEqualTo(ExitCode.USAGE);
      // a line break is refused with every argument, before any command runs; the others by the unit's own rule
      assertThat(r.errLines()).as(domain).singleElement().asString().satisfiesAnyOf(
          line -> assertThat(line).startsWith("vgapass: --domain win10").contains("systemd unit"),
          line -> assertThat(line).startsWith("vgapass: argument").contains("control character"));
    }
    assertThat(dir.resolve("etc")).doesNotExist();
    Path tokenDir = Files.createDirectories(dir.resolve("srv/%h")); // the token's directory must exist
    String token = tokenDir.resolve("tok").toString();
    CliRunner.Result odd = CliRunner.run("input", "serve", "--install", "--domain", "win %n$HOME", "--token-file", token,
        "--sysroot", dir.toString());
    assertThat(odd.code()).as(odd.err()).isZero();
    CliRunner.Result other = CliRunner.run("input", "serve", "--install", "--domain", "win_%n$HOME", "--sysroot", dir.toString());
    assertThat(other.code()).as(other.err()).isZero();
    List<Path> units;
    try (var l = Files.list(dir.resolve("etc/systemd/system"))) {
      units = l.sorted().toList();
    }
    assertThat(units).hasSize(2);
    String unit = Files.readString(units.stream().filter(u -> {
      try {
        return Files.readString(u).contains("--token-file");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).findFirst().orElseThrow());
    assertThat(unit).contains("Description=vgapass switch-back service for win %%n$HOME\n")
        .contains(" --domain \"win %%n$$HOME\" ", " --token-file \"" + token.replace("%", "%%") + "\"");
    String exec = unit.lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();
    assertThat(io.vgapass.input.SystemdUnitTest.systemdWords(exec.substring("ExecStart=".length())))
        .containsSubsequence("--domain", "win %n$HOME").containsSubsequence("--token-file", token);
  }

  @Test
  void evdevThroughLibvirt() throws IOException {
    String kbd = "/dev/input/by-id/usb-Logitech_USB_Receiver-event-kbd";
    Files.createDirectories(dir.resolve("dev/input/by-id"));
    Files.writeString(dir.resolve(kbd.substring(1)), "");
    String root = dir.toString();
    CliRunner.Result r = CliRunner.run("input", "evdev", "--domain", "test", "--device", kbd, "--grab-toggle", "alt-alt", "--sysroot", root, "--connect",
        "test:///default");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("added evdev keyboard (grab all, toggle alt-alt): " + kbd)
        .contains("press both Alt keys together");
    CliRunner.Result dry = CliRunner.run("input", "evdev", "--domain", "test", "--device", kbd, "--dry-run", "--sysroot", root, "--connect", "test:///default");
    assertThat(dry.out()).contains("grabToggle='ctrl-ctrl'");
    CliRunner.Result rm = CliRunner.run("input", "evdev", "--domain", "test", "--remove", "--device", kbd, "--connect", "test:///default");
    assertThat(rm.code()).as(rm.err()).isZero();
    assertThat(rm.out()).contains("not in the domain: " + kbd).doesNotContain("redefined");
    CliRunner.Result none = CliRunner.run("input", "evdev", "--domain", "nope", "--device", kbd, "--sysroot", root, "--connect", "test:///default");
    assertThat(none.code()).isEqualTo(ExitCode.USAGE);
    assertThat(none.errLines()).containsExactly("vgapass: --domain nope: no such domain on test:///default (virsh list --all)");
    CliRunner.Result toggle = CliRunner.run("input", "evdev", "--domain", "test", "--device", kbd, "--grab-toggle", "f12", "--connect",
        NOWHERE);
    assertThat(toggle.code()).isEqualTo(ExitCode.USAGE);
    assertThat(toggle.err()).contains("--grab-toggle f12");
    CliRunner.Result typo = CliRunner.run("input", "evdev", "--domain", "test", "--device", kbd + "x", "--sysroot", root, "--connect",
        "test:///default");
    assertThat(typo.code()).isEqualTo(ExitCode.USAGE);
    assertThat(typo.errLines()).singleElement().asString().contains("--device " + kbd + "x: no such input device");
    assertThat(dry.out()).contains("would add evdev keyboard");
  }
}
