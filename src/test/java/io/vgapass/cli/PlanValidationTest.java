package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vgapass.domain.SchemaValidator;
import io.vgapass.domain.XmlDoc;
import io.vgapass.host.Host;
import io.vgapass.plan.TestHosts;
import io.vgapass.testing.LabAssumptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every domain {@code vgapass plan --xml-out} writes, for each plannable fixture host and a range of flag
 * combinations, is valid against libvirt's own schema. Skipped only when the schema is not installed and the
 * integration tests were not asked for ({@code -Dvgapass.it=true} makes a missing schema a failure).
 */
class PlanValidationTest {
  @TempDir
  static Path tmp;

  @BeforeAll
  static void schema() {
    boolean available = SchemaValidator.libvirt().available();
    if (LabAssumptions.enabled()) {
      assertThat(available).as("libvirt's schema %s (package libvirt0)", SchemaValidator.DEFAULT_SCHEMA).isTrue();
    }
    assumeTrue(available, "libvirt's schema is not installed: " + SchemaValidator.DEFAULT_SCHEMA);
  }

  static List<List<String>> combinations(String hostName) {
    Host host = TestHosts.host(hostName);
    int cpus = host.cpu().cpus().size();
    boolean modern = host.virt().libvirtAtLeast(7, 4);
    List<List<String>> out = new ArrayList<>();
    out.add(List.of());
    out.add(List.of("--hugepages", "off", "--audio", "none"));
    out.add(List.of("--vcpus", "1", "--memory", "2G", "--hugepages", "2M", "--name", "tiny.vm_1"));
    out.add(List.of("--vcpus", String.valueOf(cpus), "--memory", "4G", "--hugepages", "1G"));
    out.add(List.of("--secure-boot", "--nvidia-hide-kvm", "--iothread-priority", "50"));
    out.add(List.of("--disk", "/var/lib/libvirt/images/a.qcow2", "--disk", "/srv/vm/b.img", "--nic", "hostonly:isolated",
        "--audio", "pipewire"));
    out.add(List.of("--nic", "hostonly", "--audio", "pulseaudio:/tmp/pulse.sock", "--input", "usb:046d:c52b",
        "--input", "usb:1050:0407"));
    if (!host.disks().isEmpty()) out.add(List.of("--disk", "/dev/" + host.disks().get(0).name()));
    if (modern) {
      out.add(List.of("--input", "evdev:/dev/input/by-id/usb-Cherry_Keyboard-event-kbd",
          "--input", "evdev:/dev/input/by-id/usb-Logitech_Mouse-event-mouse"));
    }
    return out;
  }

  @TestFactory
  Stream<DynamicTest> everyWrittenDomainIsValid() {
    List<DynamicTest> tests = new ArrayList<>();
    int n = 0;
    for (String hostName : TestHosts.PLANNABLE) {
      for (List<String> flags : combinations(hostName)) {
        Path xml = tmp.resolve("plan-" + n++ + ".xml");
        tests.add(DynamicTest.dynamicTest(hostName + " " + String.join(" ", flags), () -> {
          List<String> args = new ArrayList<>(List.of("plan", "--sysroot", TestHosts.root(hostName).toString(),
              "--xml-out", xml.toString()));
          args.addAll(flags);
          CliRunner.Result r = CliRunner.run(args);
          assertThat(r.code()).as("%s", r).isZero();
          assertThat(r.out()).contains("(valid against libvirt's schema)");
          SchemaValidator.libvirt().check(XmlDoc.read(xml));
        }));
      }
    }
    return tests.stream();
  }
}
