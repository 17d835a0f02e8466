package io.vgapass.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.xmlunit.diff.Diff;

/**
 * Libvirt's own test-suite domains (in shared/reference, beside the repository; not part of it): reading and writing
 * them without an edit must change nothing but whitespace.
 */
class ReferenceDomainsTest {

  static final Path DIR = Path.of("").toAbsolutePath().getParent().resolve("shared/reference/libvirt-domains");

  @TestFactory
  Stream<DynamicTest> unchangedWhenNothingIsEdited() throws IOException {
    Assumptions.assumeTrue(Files.isDirectory(DIR), "no reference domains at " + DIR);
    List<Path> files;
    try (Stream<Path> s = Files.walk(DIR)) {
      files = s.filter(p -> p.toString().endsWith(".xml")).sorted().toList();
    }
    Assumptions.assumeFalse(files.isEmpty(), "no XML files under " + DIR);
    return files.stream().map(f -> DynamicTest.dynamicTest(DIR.relativize(f).toString(), () -> {
      String in = Files.readString(f);
      XmlDoc doc = XmlDoc.read(f);
      String out = doc.serialize();

      Diff diff = DomainSamples.diffIgnoringWhitespace(in, out);
      assertThat(diff.hasDifferences()).as("%s: %s", f, diff).isFalse();
      assertThat(XmlDoc.parse("again", out).serialize()).as("fixpoint").isEqualTo(out);
    }));
  }
}
