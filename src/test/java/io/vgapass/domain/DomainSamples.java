package io.vgapass.domain;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.xmlunit.builder.DiffBuilder;
import org.xmlunit.builder.Input;
import org.xmlunit.diff.Diff;

/** Test inputs written for vgapass (see src/test/resources/io/vgapass/domain/) and shared helpers. */
final class DomainSamples {

  /** A passthrough domain in libvirt's own layout, with comments, foreign metadata and qemu:commandline. */
  static final String WIN11 = "win11-gpu.xml";

  /** A minimal domain that libvirt's schema accepts. */
  static final String MINIMAL = """
            <domain type='kvm'>
              <name>mini</name>
              <memory unit='KiB'>1048576</memory>
              <vcpu placement='static'>2</vcpu>
              <os>
                <type arch='x86_64' machine='q35'>hvm</type>
              </os>
              <devices>
                <emulator>/usr/bin/qemu-system-x86_64</emulator>
              </devices>
            </domain>
            """;

  private DomainSamples() {}

  static String text(String resource) {
    try (InputStream in = DomainSamples.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static XmlDoc win11() {
    return XmlDoc.parse(WIN11, text(WIN11));
  }

  static XmlDoc minimal() {
    return XmlDoc.parse("mini.xml", MINIMAL);
  }

  /** The differences between two XML texts other than whitespace (empty when they mean the same). */
  static Diff diffIgnoringWhitespace(String expected, String actual) {
    return DiffBuilder.compare(Input.fromString(expected))
        .withTest(Input.fromString(actual))
        .ignoreWhitespace()
        .checkForIdentical()
        .build();
  }

  /**
   * Compares XML with the golden file {@code src/test/resources/io/vgapass/domain/tune/NAME}
   * (whitespace aside); {@code -Dvgapass.golden.update=true} rewrites the file instead.
   */
  static void assertGolden(String name, String actual, Object what) {
    String expected;
    if (Boolean.getBoolean("vgapass.golden.update")) {
      try {
        java.nio.file.Files.writeString(java.nio.file.Path.of("src/test/resources/io/vgapass/domain/tune", name),
            actual);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      expected = actual;
    } else {
      expected = text("/io/vgapass/domain/tune/" + name);
    }
    Diff diff = diffIgnoringWhitespace(expected, actual);
    org.assertj.core.api.Assertions.assertThat(diff.hasDifferences())
        .as("%s:%n%s%n--- actual:%n%s", what, diff, actual).isFalse();
  }

  /**
   * {@code vgapass vm tune --in/--out} on the XML, reading the host under {@code hostRoot}; fails unless it exits
   * 0 and, where libvirt's schema is installed, reports the result valid. Returns what it wrote.
   */
  static String vmTune(java.nio.file.Path tmp, java.nio.file.Path hostRoot, String xml, java.util.List<String> flags,
      Object what) throws IOException {
    java.nio.file.Path in = java.nio.file.Files.createTempFile(tmp, "tune-", ".in.xml");
    java.nio.file.Path out = in.resolveSibling(in.getFileName().toString().replace(".in.xml", ".out.xml"));
    java.nio.file.Files.writeString(in, xml);
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("vm", "tune", "--in", in.toString(),
        "--out", out.toString(), "--sysroot", hostRoot.toString()));
    args.addAll(flags);
    io.vgapass.cli.CliRunner.Result r = io.vgapass.cli.CliRunner.run(args);
    org.assertj.core.api.Assertions.assertThat(r.code()).as("%s: %s", what, r).isZero();
    if (SchemaValidator.libvirt().available()) {
      org.assertj.core.api.Assertions.assertThat(r.out()).as("%s", what).contains("valid against libvirt's schema");
    }
    return java.nio.file.Files.readString(out);
  }
}
