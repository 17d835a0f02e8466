package io.vgapass.cli;

import io.vgapass.host.sketch.HostSketch;
import io.vgapass.host.sketch.SketchWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The embedded reference machine, written out as a sysroot once per process. */
final class ExampleHost {
  static final String RESOURCE = "/io/vgapass/hosts/reference-h97.host";
  private static Path materialized;

  private ExampleHost() {}

  static synchronized Path materialize() {
    if (materialized != null) return materialized;
    try {
      Path dir = Files.createTempDirectory("vgapass-example-");
      TempTrees.deleteOnExit(dir);
      materialized = SketchWriter.write(HostSketch.resource(RESOURCE), dir);
      return materialized;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the example host to a temporary directory", e);
    }
  }
}
