package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vgapass.host.CaptureArchive;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * capture on this machine, replay it with --sysroot: the same host model. Only the source and
 * MemAvailable (which the kernel changes from second to second) are left out; the comparison is
 * retried when something else moved in between (another process reserving huge pages).
 */
class LiveCaptureTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  static JsonNode host(CliRunner.Result c) throws Exception {
    assertThat(c.err()).isEmpty();
    ObjectNode host = (ObjectNode) JSON.readTree(c.out()).get("host");
    host.remove("source");
    ((ObjectNode) host.get("memory")).remove("availableKiB");
    return host;
  }

  @Test
  void captureOfThisMachineReplaysToTheSameModel() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/sys/devices/system/cpu")), "no sysfs here");
    JsonNode live = null;
    JsonNode replayed = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      Path archive = tmp.resolve("host-" + attempt + ".tar.gz");
      CliRunner.Result cap = CliRunner.run("capture", "--out", archive.toString());
      assertThat(cap.code()).as(cap.err()).isZero();
      assertThat(cap.errLines()).isEmpty();
      assertThat(CaptureArchive.names(archive)).anyMatch(n -> n.startsWith("sys/devices/system/cpu"))
          .noneMatch(n -> n.startsWith("/") || n.contains(".."));
      CliRunner.Result back = CliRunner.run("doctor", "--sysroot", archive.toString(), "--json");
      live = host(CliRunner.run("doctor", "--json"));
      replayed = host(back);
      if (live.equals(replayed)) break;
    }
    assertThat(replayed).isEqualTo(live);
  }
}
