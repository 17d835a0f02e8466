package io.vgapass.testing;

import io.vgapass.host.sketch.HostSketch;
import io.vgapass.host.sketch.SketchWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The one loader of the test hosts: a host sketch found by folder and name, parsed, and written out as a sysroot.
 * The folders keep their own purposes (and the classes over them their own lists): {@link TranscribedHosts} over
 * real machines, {@code plan.TestHosts} over hosts written for the planner, {@code apply.Trees} over distributions.
 */
public final class HostFixtures {
  /** Where the sketches of one kind live under src/test/resources. */
  public enum Folder {
    /** Real machines, transcribed (src/test/resources/hosts). */
    TRANSCRIBED("/hosts/"),
    /** Hosts written for the planner and domain tests, each modelling one situation. */
    PLANNER("/io/vgapass/plan/hosts/"),
    /** One host per distribution's boot and initramfs layout, for host apply. */
    DISTROS("/io/vgapass/apply/hosts/"),
    /** The built-in reference machine vgapass ships (main resources). */
    BUILT_IN("/io/vgapass/hosts/");

    private final String path;

    Folder(String path) {
      this.path = path;
    }

    /** The classpath resource of the sketch NAME in this folder. */
    public String resource(String name) {
      return path + name + ".host";
    }
  }

  private HostFixtures() {}

  /** The sketch text; a missing fixture fails the test naming its resource. */
  public static String text(Folder folder, String name) {
    String resource = folder.resource(name);
    try (InputStream in = HostFixtures.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalArgumentException("no fixture host " + name + " (" + resource + ")");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a sketch given as text (a fixture's, possibly edited) as a sysroot in dir; returns dir. */
  public static Path write(String name, String text, Path dir) {
    try {
      return SketchWriter.write(HostSketch.parse(name, text), dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the fixture as a sysroot in dir; returns dir. */
  public static Path write(Folder folder, String name, Path dir) {
    return write(name + ".host", text(folder, name), dir);
  }
}
