package io.vgapass.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vgapass.host.sketch.HostSketch;
import io.vgapass.host.sketch.SketchWriter;
import io.vgapass.testing.TranscribedHosts;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** A capture replayed with --sysroot must yield the model the capture was taken from. */
class CaptureReplayTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final java.util.List<String> FIXTURES = TranscribedHosts.ALL;

  @TempDir Path tmp;

  /** The model as JSON, without what legitimately differs between two reads. */
  static ObjectNode comparable(Host h) {
    ObjectNode n = JSON.valueToTree(h);
    n.remove("source");
    return n;
  }

  /** The JSON paths where two documents differ, with both values: short failure messages. */
  static java.util.List<String> differences(com.fasterxml.jackson.databind.JsonNode a,
      com.fasterxml.jackson.databind.JsonNode b) {
    java.util.List<String> out = new java.util.ArrayList<>();
    diff("", a, b, out);
    return out;
  }

  private static void diff(String path, com.fasterxml.jackson.databind.JsonNode a,
      com.fasterxml.jackson.databind.JsonNode b, java.util.List<String> out) {
    if (a != null && b != null && a.isContainerNode() && a.getNodeType() == b.getNodeType()
        && (a.isObject() || a.size() == b.size())) {
      java.util.Set<String> names = new java.util.TreeSet<>();
      if (a.isObject()) {
        a.fieldNames().forEachRemaining(names::add);
        b.fieldNames().forEachRemaining(names::add);
        for (String n : names) diff(path + "." + n, a.get(n), b.get(n), out);
      } else {
        for (int i = 0; i < a.size(); i++) diff(path + "[" + i + "]", a.get(i), b.get(i), out);
      }
    } else if (!java.util.Objects.equals(a, b)) {
      out.add(path + ": " + a + " vs " + b);
    }
  }

  static Host replay(Path root, Path tmp) throws Exception {
    Path archive = tmp.resolve("capture.tar.gz");
    CaptureArchive.capture(new SysRoot(root), archive);
    Path back = tmp.resolve("replayed");
    CaptureArchive.extract(archive, back);
    return HostReader.read(new SysRoot(back));
  }

  @Test
  void firmwareDescriptorsSurviveTheCapture() throws Exception {
    Path root = SketchWriter.write(HostSketch.parse("fw.host", """
        kernel 6.1.0-22-amd64
        touch usr/sbin/libvirtd usr/bin/qemu-system-x86_64
        file usr/share/qemu/firmware/60-edk2-x86_64.json
        {
          "interface-types": [ "uefi" ],
          "mapping": {
            "device": "flash",
            "executable": { "filename": "/usr/share/OVMF/OVMF_CODE_4M.fd", "format": "raw" },
            "nvram-template": { "filename": "/usr/share/OVMF/OVMF_VARS_4M.fd", "format": "raw" }
          },
          "targets": [ { "architecture": "x86_64", "machines": [ "pc-q35-*" ] } ],
          "features": [ "acpi-s3", "verbose-dynamic" ]
        }
        end
        """), tmp.resolve("fw"));
    Host direct = HostReader.read(new SysRoot(root));
    assertThat(direct.virt().firmware()).hasSize(1);
    Host replayed = replay(root, tmp);
    assertThat(replayed.virt().firmware()).isEqualTo(direct.virt().firmware());
  }

  @ParameterizedTest
  @FieldSource("FIXTURES")
  void everyFixtureReplaysToTheSameModel(String name) throws Exception {
    Path root = TranscribedHosts.host(name, tmp);
    Host direct = HostReader.read(new SysRoot(root));
    assertThat(differences(comparable(direct), comparable(replay(root, tmp)))).isEmpty();
  }
}
