package io.vgapass.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vgapass.host.sketch.HostSketch;
import io.vgapass.host.sketch.SketchWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A capture replayed with --sysroot must yield the model the capture was taken from. */
class CaptureReplayTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  /** The model as JSON, without what legitimately differs between two reads. */
  static ObjectNode comparable(Host h) {
    ObjectNode n = JSON.valueToTree(h);
    n.remove("source");
    return n;
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
}
