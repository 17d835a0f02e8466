package io.vgapass.it;

import static io.vgapass.testing.Cmd.virsh;
import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.cli.CliRunner;
import io.vgapass.domain.XmlDoc;
import io.vgapass.plan.TestHosts;
import io.vgapass.testing.Cmd;
import io.vgapass.testing.LabAssumptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16.10 through the real libvirtd: the digests vgapass records of what it wrote survive libvirt's own
 * definition of the domain (its addresses, aliases, MAC addresses, controller models and targets, its quoting and
 * indentation). Tuned, defined and read back, the domain tunes to itself with no device left alone; tuned without a
 * disk, a NIC, the USB input and Looking Glass, exactly vgapass's devices go. Runs only with
 * {@code -Dvgapass.it=true}.
 */
class OwnershipThroughLibvirtTest {
  private static final String DATA = "/var/lib/libvirt/images/data.qcow2";
  private static final List<String> FLAGS = List.of("--gpu", "0000:01:00.0", "--memory", "8G",
      "--disk", DATA, "--disk", "/dev/sdb", "--nic", "macvtap:eno1", "--nic", "hostonly",
      "--audio", "pulseaudio", "--input", "evdev:/dev/input/by-id/usb-Cherry_Keyboard-event-kbd",
      "--input", "usb:046d:c52b", "--looking-glass");

  @TempDir Path tmp;

  @BeforeEach
  void lab() {
    LabAssumptions.assumeLab();
  }

  private String tune(String xml, List<String> flags, List<String> err) throws IOException {
    Path in = Files.createTempFile(tmp, "in-", ".xml");
    Path out = in.resolveSibling(in.getFileName() + ".out");
    Files.writeString(in, xml);
    List<String> args = new ArrayList<>(List.of("vm", "tune", "--in", in.toString(), "--out", out.toString(),
        "--sysroot", TestHosts.root(TestHosts.MODERN).toString()));
    args.addAll(flags);
    CliRunner.Result r = CliRunner.run(args);
    assertThat(r.code()).as("%s", r).isZero();
    err.addAll(r.err().lines().toList());
    return Files.readString(out);
  }

  private String defineAndRead(String name, String xml) throws IOException {
    Path f = Files.createTempFile(tmp, name, ".xml");
    Files.writeString(f, xml);
    virsh("define", f.toString());
    return virsh("dumpxml", "--inactive", name);
  }

  /** The ownership records, quotes made alike (libvirt writes double quotes, vgapass single). */
  private static List<String> owns(String xml) {
    return xml.lines().map(String::strip).filter(l -> l.startsWith("<vgapass:owns ")).map(l -> l.replace('"', '\''))
        .toList();
  }

  @Test
  void digestsSurviveLibvirtAndOnlyVgapasssDevicesGo() throws Exception {
    String name = "vgapass-test-owns-" + HexFormat.of().formatHex(new byte[] {(byte) ThreadLocalRandom.current()
        .nextInt(), (byte) ThreadLocalRandom.current().nextInt(), (byte) ThreadLocalRandom.current().nextInt()});
    String rich;
    try (InputStream in = getClass().getResourceAsStream("/io/vgapass/domain/ownership/rich.xml")) {
      rich = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("<name>everything</name>",
          "<name>" + name + "</name>").replaceAll("<uuid>[^<]*</uuid>", "")
          .replace("everything_VARS.fd", name + "_VARS.fd");
    }
    List<String> err = new ArrayList<>();
    try {
      String tuned = tune(rich, FLAGS, err);
      String defined = defineAndRead(name, tuned);
      // libvirt adds its own parts: MAC addresses for vgapass's two interfaces, root ports' chassis and port
      assertThat(defined.split("<mac address=", -1)).as(defined).hasSize(1 + 3);
      assertThat(defined).contains("<target chassis=").isNotEqualTo(tuned);

      // read back from libvirt: nothing left alone, every record with the digest it had, and a fixpoint
      String again = tune(defined, FLAGS, err);
      assertThat(err).noneMatch(l -> l.contains("left the"));
      assertThat(owns(again)).hasSize(14).isEqualTo(owns(defined)).isEqualTo(owns(tuned));
      assertThat(tune(again, FLAGS, err)).isEqualTo(again);

      List<String> fewer = new ArrayList<>(List.of("--memory", "8G", "--disk", DATA, "--nic", "macvtap:eno1",
          "--audio", "pulseaudio", "--input", "evdev:/dev/input/by-id/usb-Cherry_Keyboard-event-kbd",
          "--no-looking-glass"));
      XmlDoc less = XmlDoc.parse("less", tune(defined, fewer, err));
      assertThat(err).noneMatch(l -> l.contains("left the"));
      assertThat(less.list("./devices/disk")).extracting(d -> d.get("./source/@file") != null
          ? d.get("./source/@file") : d.get("./source/@dev")).doesNotContain("/dev/sdb").contains(DATA,
          "/var/lib/libvirt/images/" + "everything.qcow2");
      assertThat(less.list("./devices/interface")).extracting(i -> i.get("./@type"))
          .containsExactlyInAnyOrder("bridge", "direct");
      // no --gpu: the card's hostdevs stay (vm tune touches a kind only when asked); the USB input is gone
      assertThat(less.list("./devices/hostdev")).extracting(h -> h.get("./@type")).containsExactly("pci", "pci");
      assertThat(less.exists("./devices/shmem")).isFalse();
      assertThat(less.list("./devices/input[@type='evdev']")).hasSize(1);
    } finally {
      Cmd.run(Duration.ofSeconds(30), "virsh", "-c", LabAssumptions.LIBVIRT_URI, "undefine", "--nvram", name);
    }
  }
}
