package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.domain.XmlDoc;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vgapass hook} reads the domain XML from the stdin Main was given, not from System.in. */
class HookStdinTest {
  @TempDir Path root;

  private CliRunner.Result prepare(String xml) {
    return CliRunner.piping(xml, "hook", "--sysroot", root.toString(), "qemu", "vm1", "prepare", "begin", "-");
  }

  @Test
  void aDomainWithoutVgapassMetadataIsLeftAlone() {
    CliRunner.Result r = prepare("<domain type='kvm'><name>vm1</name></domain>");
    assertThat(r.code()).as("%s", r).isEqualTo(ExitCode.OK);
    assertThat(r.err()).isEmpty();
  }

  @Test
  void brokenXmlOnStdinStopsTheStartInOneLine() throws Exception {
    // vgapass's metadata, cut off: the hook's scanner sees it and the full parser refuses it
    CliRunner.Result r = prepare("<domain type='kvm'><name>vm1</name><metadata><vgapass:vm xmlns:vgapass='"
        + XmlDoc.VGAPASS_NS + "'><vgapass:cpu vcpus='2'");
    assertThat(r.code()).as("%s", r).isEqualTo(1); // libvirt refuses the start on 1
    assertThat(r.errLines()).singleElement().asString().startsWith("vgapass: ").contains("hook stdin");
    assertThat(Files.readString(root.resolve("var/log/vgapass/hooks.log"))).contains("vm1 prepare/begin FAILED");
  }
}
