package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.testing.HostFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * doctor and plan agree on every fixture host: doctor says a card can be passed "now" exactly when plan has nothing
 * for "Before the first start" (gigabyte-x570's card, held by nvidia, was "Ready ... now" while plan asked for
 * vfio-pci at boot: doctor was wrong, since the host driver must let go of the card first).
 */
class DoctorPlanAgreeTest {
  @TempDir Path tmp;

  static Stream<Arguments> fixtures() {
    List<Arguments> all = new ArrayList<>();
    for (HostFixtures.Folder f : HostFixtures.Folder.values()) {
      String dir = f.resource("x").replace("x.host", "");
      try (Stream<Path> s = Files.list(Path.of(DoctorPlanAgreeTest.class.getResource(dir).toURI()))) {
        s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".host")).sorted()
            .forEach(n -> all.add(Arguments.of(f, n.substring(0, n.length() - ".host".length()))));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("fixtures")
  void doctorSaysNowExactlyWhenPlanHasNothingToPrepare(HostFixtures.Folder folder, String name) {
    Path root = HostFixtures.write(folder, name, tmp.resolve(name));
    CliRunner.Result doctor = CliRunner.run("doctor", "--sysroot", root.toString());
    CliRunner.Result plan = CliRunner.run("plan", "--sysroot", root.toString());
    if (doctor.code() != ExitCode.OK) {
      assertThat(doctor.out()).as("%s", doctor).doesNotContain("Ready");
      return;
    }
    assertThat(plan.code()).as("doctor is ready, so a plan must be made: %s", plan).isZero();
    boolean now = doctor.out().contains("can be passed to a VM now");
    boolean prepare = plan.out().contains("Before the first start, prepare the host:");
    assertThat(now).as("doctor says 'now' exactly when plan prepares nothing\n%s\n%s", doctor.out(), plan.out())
        .isEqualTo(!prepare);
    if (prepare) assertThat(doctor.out()).contains("Ready after host preparation: GPU ");
  }

  /** The fixture the issue named: its card is held by nvidia, so both say the host needs preparing first. */
  @org.junit.jupiter.api.Test
  void theHostDriverHoldingTheCardIsPreparationForBoth() {
    Path root = HostFixtures.write(HostFixtures.Folder.TRANSCRIBED, "gigabyte-x570", tmp.resolve("x570"));
    assertThat(CliRunner.run("doctor", "--sysroot", root.toString()).out()).contains("Ready after host preparation: "
        + "GPU 0000:0d:00.0 can be passed to a VM once the host is prepared (1 step). Next: vgapass plan --gpu "
        + "0000:0d:00.0 (it lists them)");
    assertThat(CliRunner.run("plan", "--sysroot", root.toString()).out()).contains("Before the first start, prepare the "
        + "host:\n  - let vfio-pci take the card at boot");
  }
}
