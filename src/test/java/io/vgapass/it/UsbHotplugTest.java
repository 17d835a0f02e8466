package io.vgapass.it;

import static io.vgapass.testing.Cmd.virsh;
import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.cli.ExitCode;
import io.vgapass.cli.CliRunner;
import io.vgapass.testing.Cmd;
import io.vgapass.testing.LabAssumptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code vgapass input attach|detach|toggle} against a real libvirtd and a running TCG guest with a qemu-xhci
 * controller. This host has no USB bus at all (no /sys/bus/usb), so a host-device hostdev cannot be attached here;
 * the test sends QEMU's own USB keyboard and tablet ({@code --emulated}) through the same code path (schema check,
 * live-only attach, live-XML lookup, detach of the live element, the --back-after helper) and checks that the
 * persistent definition never sees them.
 */
class UsbHotplugTest {
  private static final String URI = LabAssumptions.LIBVIRT_URI;
  private String name;

  @BeforeEach
  void lab() throws IOException {
    LabAssumptions.assumeLab();
    byte[] b = new byte[4];
    ThreadLocalRandom.current().nextBytes(b);
    name = "vgapass-test-usb-" + HexFormat.of().formatHex(b);
    Path xml = Files.createTempFile(name, ".xml");
    Files.writeString(xml, """
        <domain type='qemu'>
          <name>%s</name>
          <memory unit='MiB'>64</memory>
          <vcpu>1</vcpu>
          <os><type arch='x86_64' machine='q35'>hvm</type></os>
          <on_poweroff>destroy</on_poweroff>
          <devices>
            <controller type='usb' model='qemu-xhci'/>
            <memballoon model='none'/>
          </devices>
        </domain>
        """.formatted(name));
    virsh("define", xml.toString());
    Files.delete(xml);
  }

  @AfterEach
  void cleanUp() {
    if (name == null) return;
    Cmd.run(Duration.ofSeconds(60), "virsh", "-c", URI, "destroy", name);
    Cmd.run(Duration.ofSeconds(60), "virsh", "-c", URI, "undefine", name);
  }

  @Test
  void attachToggleAndBackAfterAreLiveOnly() throws Exception {
    CliRunner.Result off = vgapass("input", "attach", "--domain", name, "--emulated", "keyboard");
    assertThat(off.code()).as(off.err()).isEqualTo(ExitCode.USAGE);
    assertThat(off.err()).contains(name + " is not running").contains("nothing was changed");
    CliRunner.Result missing = vgapass("input", "toggle", "--domain", name + "-nope", "--emulated", "keyboard");
    assertThat(missing.code()).isEqualTo(ExitCode.USAGE);
    assertThat(missing.err()).contains("no such domain");

    virsh("start", name);
    CliRunner.Result in = vgapass("input", "attach", "--domain", name, "--emulated", "keyboard", "--emulated", "tablet");
    assertThat(in.code()).as(in.err()).isZero();
    assertThat(in.out()).contains("attached to " + name + ": emulated USB keyboard");
    assertThat(live()).contains("ua-vgapass-keyboard").contains("ua-vgapass-tablet");
    assertThat(inactive()).doesNotContain("ua-vgapass");

    CliRunner.Result again = vgapass("input", "attach", "--domain", name, "--emulated", "keyboard");
    assertThat(again.out()).contains("already in " + name);

    CliRunner.Result back = vgapass("input", "toggle", "--domain", name, "--emulated", "keyboard", "--emulated", "tablet");
    assertThat(back.code()).as(back.err()).isZero();
    assertThat(back.out()).contains("detached from " + name);
    waitUntil(() -> !live().contains("ua-vgapass"), Duration.ofSeconds(20), "devices still in the live XML");

    CliRunner.Result timed = vgapass("input", "toggle", "--domain", name, "--emulated", "keyboard", "--back-after", "1");
    assertThat(timed.code()).as(timed.err()).isZero();
    assertThat(timed.out()).contains("back-after: helper pid").contains("attached to " + name);
    assertThat(live()).contains("ua-vgapass-keyboard");
    waitUntil(() -> !live().contains("ua-vgapass-keyboard"), Duration.ofSeconds(30),
        "the --back-after helper did not detach the keyboard");
    assertThat(inactive()).doesNotContain("ua-vgapass");
  }

  /** The switch-back service with the right token reaches the real libvirtd; an unknown domain answers 404. */
  @Test
  void switchServiceReachesLibvirt() throws Exception {
    virsh("start", name);
    String token = "it-token-0123456789abcdefghijklmnopqrstuvwxyz";
    java.util.List<io.vgapass.input.GuestDevice> devs =
        java.util.List.of(new io.vgapass.input.EmulatedUsbInput("keyboard"));
    java.net.InetSocketAddress lo = new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0);
    try (var ok = io.vgapass.input.SwitchService.start(lo, token, new io.vgapass.input.LibvirtSwitchActions(
            () -> io.vgapass.libvirt.LibvirtJavaPort.open(URI), name, devs), io.vgapass.input.SwitchService.Limits.DEFAULT);
         var unknown = io.vgapass.input.SwitchService.start(lo, token, new io.vgapass.input.LibvirtSwitchActions(
            () -> io.vgapass.libvirt.LibvirtJavaPort.open(URI), name + "-nope", devs),
            io.vgapass.input.SwitchService.Limits.DEFAULT)) {
      var http = java.net.http.HttpClient.newHttpClient();
      java.util.function.BiFunction<io.vgapass.input.SwitchService, String, java.net.http.HttpResponse<String>> post =
          (svc, auth) -> {
            var b = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                + svc.address().getPort() + "/switch-to-guest")).POST(java.net.http.HttpRequest.BodyPublishers.noBody());
            if (auth != null) b.header("Authorization", auth);
            try {
              return http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
              throw new AssertionError(e);
            }
          };
      assertThat(post.apply(ok, null).statusCode()).isEqualTo(401);
      assertThat(post.apply(ok, "Bearer nope").statusCode()).isEqualTo(401);
      assertThat(live()).doesNotContain("ua-vgapass");
      var in = post.apply(ok, "Bearer " + token);
      assertThat(in.statusCode()).as(in.body()).isEqualTo(200);
      assertThat(live()).contains("ua-vgapass-keyboard");
      assertThat(inactive()).doesNotContain("ua-vgapass");
      var gone = post.apply(unknown, "Bearer " + token);
      assertThat(gone.statusCode()).isEqualTo(404);
      assertThat(gone.body()).contains("no such domain");
      var back = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
              + ok.address().getPort() + "/switch-back")).header("Authorization", "Bearer " + token)
          .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
      waitUntil(() -> !live().contains("ua-vgapass"), Duration.ofSeconds(20), "keyboard still in the guest");
    }
  }

  private String live() {
    return virsh("dumpxml", name);
  }

  private String inactive() {
    return virsh("dumpxml", "--inactive", name);
  }

  private static void waitUntil(java.util.function.BooleanSupplier ok, Duration timeout, String why)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() > end) throw new AssertionError(why);
      Thread.sleep(200);
    }
  }


  static CliRunner.Result vgapass(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--connect", URI));
    return CliRunner.run(all);
  }
}
