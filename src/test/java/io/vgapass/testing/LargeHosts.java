package io.vgapass.testing;

import io.vgapass.host.sketch.HostSketch;
import io.vgapass.host.sketch.LargeHostSketch;
import io.vgapass.host.sketch.SketchWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The benchmark's large server ({@link LargeHostSketch}) as a sysroot, for tests. */
public final class LargeHosts {
  public static final int CPUS = LargeHostSketch.CPUS;
  public static final int DEVICES = LargeHostSketch.DEVICES;
  public static final int GROUPS = LargeHostSketch.GROUPS;

  private LargeHosts() {}

  public static String sketch() {
    return LargeHostSketch.sketch();
  }

  /** Writes the large host (with extra sketch lines, e.g. a pci.ids file) as a sysroot under dir. */
  public static Path write(Path dir, String... extraLines) {
    String text = sketch() + String.join("\n", extraLines) + "\n";
    try {
      return SketchWriter.write(HostSketch.parse("large-host", text), dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
