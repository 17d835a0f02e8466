package io.vgapass.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.plan.Intents;
import io.vgapass.plan.Plan;
import io.vgapass.plan.TestHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.xmlunit.diff.Diff;

/**
 * Libvirt's own test-suite domains (shared/reference beside the repository, not part of it) tuned for the reference
 * machine: with vgapass's parts stripped, nothing changed; tuning again changes nothing. Some of these domains are not
 * x86/q35 and some fail libvirt 9.0's schema already, so validity is only required of the output when the input had
 * it. Skipped when the folder is absent.
 */
class ReferenceDomainsTuneTest {

  /** As {@code vm tune} without device flags: CPU, memory backing and metadata only. */
  private static final TuneScope CPU_AND_MEMORY = TuneScope.cpuAndMemory();
  /** As {@code vm tune} with every device flag and --memory. */
  private static final TuneScope EVERYTHING = TuneScope.builder().memorySize(true).hostdevs(true)
    .disks(true).nics(true).audio(true).inputs(true).hideKvm(true).build();

  @TestFactory
  Stream<DynamicTest> onlyOwnedPartsChangeAndTuningIsAFixpoint() throws IOException {
    Path dir = ReferenceDomainsTest.DIR;
    Assumptions.assumeTrue(Files.isDirectory(dir), "no reference domains at " + dir);
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(p -> p.toString().endsWith(".xml")).sorted().toList();
    }
    Assumptions.assumeFalse(files.isEmpty(), "no XML files under " + dir);
    Plan plain = TestHosts.plan(TestHosts.REFERENCE);
    Plan devices = Intents.intent().memory("4G").disk("/var/lib/libvirt/images/guest.qcow2").disk("/dev/sdb")
        .input("usb:046d:c52b").nvidiaHideKvm().on(TestHosts.REFERENCE);
    Plan modern = Intents.intent().memory("4G").disk("/var/lib/libvirt/images/guest.qcow2").disk("/dev/sdb")
        .input("evdev:/dev/input/by-id/usb-Cherry-event-kbd").audio("pulseaudio").on(TestHosts.MODERN);
    List<DynamicTest> tests = new ArrayList<>();
    for (Path f : files) {
      String name = dir.relativize(f).toString();
      tests.add(DynamicTest.dynamicTest(name + " (cpu and memory)", () -> check(f, plain, CPU_AND_MEMORY)));
      tests.add(DynamicTest.dynamicTest(name + " (every device, libvirt 3.7)", () -> check(f, devices, EVERYTHING)));
      tests.add(DynamicTest.dynamicTest(name + " (every device, libvirt 9.0)", () -> check(f, modern, EVERYTHING)));
    }
    return tests.stream();
  }

  private static void check(Path file, Plan forAny, TuneScope scope) {
    XmlDoc in = XmlDoc.read(file);
    // guest NUMA cells fix the vCPU count: as a user would, ask for that many (vgapass refuses others)
    int inCells = in.list("./cpu/numa/cell").stream().mapToInt(c -> Devices.bitmap(c.get("./@cpus")).size()).sum();
    Plan plan = inCells == 0 ? forAny : Intents.intent().vcpus(inCells).memory("4G").on(TestHosts.REFERENCE);
    XmlDoc tuned = DomainWriter.tune(XmlDoc.read(file), plan, scope);
    String out = tuned.serialize();

    List<Ownership.Owned> owned = OwnedParts.owned(tuned);
    String before = OwnedParts.strip(in, owned, scope.memorySize()).serialize();
    String after = OwnedParts.strip(tuned, owned, scope.memorySize()).serialize();
    Diff diff = DomainSamples.diffIgnoringWhitespace(before, after);
    assertThat(diff.hasDifferences()).as("%s: outside vgapass's parts:%n%s%n--- tuned:%n%s", file, diff, out).isFalse();

    String again = DomainWriter.tune(XmlDoc.parse("again", out), plan, scope).serialize();
    assertThat(again).as("%s tuned twice", file).isEqualTo(out);

    SchemaValidator schema = SchemaValidator.libvirt();
    if (schema.available() && schema.validate(in).isEmpty()) {
      assertThat(schema.validate(tuned)).as("%s was valid; tuned:%n%s", file, out).isEmpty();
    }
  }
}
