package io.vgapass.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shell dispatcher libvirt runs: Java only for prepare/begin of a domain with vgapass metadata, given all of it. */
class HookDispatcherTest {
  @TempDir Path dir;
  Path hook;

  private static final String PLAIN = """
      <domain type='kvm' id='3'>
        <name>win</name>
        <uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fa0</uuid>
        <metadata>
          <libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0">
            <libosinfo:os id="http://microsoft.com/win/11"/>
          </libosinfo:libosinfo>
        </metadata>
        <memory unit='KiB'>8388608</memory>
        <description>not https://vgapass.io/xmlns/libvirt/domain/1.0 either</description>
      </domain>
      """;

  private static final String OURS = """
      <domain type='kvm'>
        <name>win</name>
        <metadata>
          <libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0">
            <libosinfo:os id="http://microsoft.com/win/11"/>
          </libosinfo:libosinfo>
          <vgapass:vm xmlns:vgapass="https://vgapass.io/xmlns/libvirt/domain/1.0" format="1">
            <vgapass:cpu vcpus="1" emulator="0" iothread="0" iothread-priority="10"/>
          </vgapass:vm>
        </metadata>
        <memory unit='KiB'>8388608</memory>
      </domain>
      """;

  @BeforeEach
  void hook() throws IOException {
    Path java = dir.resolve("fake-java");
    Files.writeString(java, "#!/bin/sh\necho \"$*\" > '" + dir.resolve("args") + "'\ncat > '" + dir.resolve("stdin")
        + "'\n");
    java.toFile().setExecutable(true);
    hook = dir.resolve("hook");
    Files.writeString(hook, HookScript.render(java.toString(), "-jar /x.jar", null));
  }

  private int run(String xml, String op, String sub) throws Exception {
    Path in = dir.resolve("in.xml");
    Files.writeString(in, xml);
    Process p = new ProcessBuilder("/bin/sh", hook.toString(), "win", op, sub, "-").redirectInput(in.toFile())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(out).isEmpty();
    return p.waitFor();
  }

  @Test
  void aDomainWithoutOurMetadataStartsNoJava() throws Exception {
    assertThat(run(PLAIN, "prepare", "begin")).isZero();
    assertThat(dir.resolve("args")).doesNotExist();
  }

  @Test
  void ourDomainGoesToJavaWholeEvenAfterAnotherToolsMetadata() throws Exception {
    assertThat(run(OURS, "prepare", "begin")).isZero();
    assertThat(Files.readString(dir.resolve("args"))).contains("hook qemu win prepare begin -");
    assertThat(Files.readString(dir.resolve("stdin"))).isEqualTo(OURS);
  }

  @Test
  void aDomainOnOneLineIsReadWhole() throws Exception {
    String oneLine = OURS.replace("\n", "");
    assertThat(run(oneLine, "prepare", "begin")).isZero();
    assertThat(Files.readString(dir.resolve("stdin"))).isEqualTo(oneLine + "\n");
  }

  @Test
  void otherEventsStartNothing() throws Exception {
    for (String[] e : new String[][] {{"start", "begin"}, {"started", "begin"}, {"stopped", "end"}, {"release", "end"}}) {
      assertThat(run(OURS, e[0], e[1])).isZero();
    }
    assertThat(dir.resolve("args")).doesNotExist();
  }

  @Test
  void javaFailingThePrepareFailsTheStart() throws Exception {
    Files.writeString(dir.resolve("fake-java"), "#!/bin/sh\ncat >/dev/null\nexit 1\n");
    assertThat(run(OURS, "prepare", "begin")).isEqualTo(1);
  }

  /**
   * Every event of a VM that is not ours, and every event vgapass ignores, ends before the shell reaches the
   * generated header and the functions (most of the file): traced with sh -x, not one of their lines runs.
   */
  @Test
  void whatIsNotOursEndsBeforeTheFunctionsAreRead() throws Exception {
    String[][] cases = {{PLAIN, "prepare", "begin"}, {PLAIN, "release", "end"}, {OURS, "start", "begin"},
        {OURS, "started", "begin"}, {OURS, "stopped", "end"}, {OURS, "release", "end"}};
    for (String[] c : cases) {
      Path in = dir.resolve("in.xml");
      Files.writeString(in, c[0]);
      Process p = new ProcessBuilder("/bin/sh", "-x", hook.toString(), "win", c[1], c[2], "-")
          .redirectInput(in.toFile()).redirectErrorStream(true).start();
      String trace = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).isZero();
      assertThat(trace).as("%s/%s of %s", c[1], c[2], c[0] == PLAIN ? "another VM" : "ours")
          .contains("exit 0").doesNotContain("vgapass_ns=");
    }
    // ours, at prepare: past the decision, the header is read
    Path in = dir.resolve("in.xml");
    Files.writeString(in, OURS);
    Process p = new ProcessBuilder("/bin/sh", "-x", hook.toString(), "win", "prepare", "begin", "-")
        .redirectInput(in.toFile()).redirectErrorStream(true).start();
    assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("vgapass_ns=");
    p.waitFor();
  }
}
