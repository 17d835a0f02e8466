package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.testing.JsonContract;
import io.vgapass.testing.TranscribedHosts;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docs/json.md promises that fields are never renamed: the JSON of doctor and plan on the reference machine and on
 * fixture hosts, whole, against golden files. The live outputs (verify, selftest, input devices, share status) are
 * held to their field paths where their own tests run them.
 */
class JsonContractTest {
  @TempDir Path tmp;

  @Test
  void doctorOnTheReferenceMachine() {
    CliRunner.Result r = CliRunner.run("doctor", "--example", "--json");
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    JsonContract.assertGolden("doctor-example", r.out());
  }

  @ParameterizedTest
  @ValueSource(strings = {"msi-mag-b550m-mortar", "b560-single-gpu", "skylake-two-gpus-one-group"})
  void doctorOnFixtureHosts(String fixture) {
    CliRunner.Result r = CliRunner.run("doctor", "--sysroot", TranscribedHosts.host(fixture, tmp).toString(), "--json");
    assertThat(r.code()).as(r.err()).isBetween(0, 1);
    // the report's "source" names the root it read; the rest must not depend on where that is
    JsonContract.assertGolden("doctor-" + fixture, r.out().replace(tmp.toString(), "ROOT"));
  }

  @Test
  void planOnTheReferenceMachine() {
    CliRunner.Result r = CliRunner.run("plan", "--example", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonContract.assertGolden("plan-example", r.out());
  }

  @Test
  void planOnAFixtureHost() {
    CliRunner.Result r = CliRunner.run("plan", "--sysroot", TranscribedHosts.host("gigabyte-x570", tmp).toString(), "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonContract.assertGolden("plan-gigabyte-x570", r.out().replace(tmp.toString(), "ROOT"));
  }
}
