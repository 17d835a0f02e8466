package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.testing.HostFixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 3900X (gigabyte-x570): the default takes every core but the host's over the 4 L3 domains, as the README
 * says, and plan's notes offer the count that fits in one L3.
 */
class DefaultVcpusTest {
  @TempDir Path tmp;

  @Test
  void aMultiL3CpuGetsAllButTheHostsCoreAndANoteWithTheOneL3Count() {
    Path root = HostFixtures.write(HostFixtures.Folder.TRANSCRIBED, "gigabyte-x570", tmp.resolve("x570"));
    CliRunner.Result r = CliRunner.run("plan", "--sysroot", root.toString());
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out()).contains("  vCPUs 22 as 1 socket x 11 cores x 2 threads")
        .contains("the vCPUs span 4 L3 caches").contains("--vcpus 6 fits in one")
        .contains("<cache mode='passthrough'/>");
  }
}
