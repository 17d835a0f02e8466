package io.vgapass.cli;

import io.vgapass.host.CaptureArchive;
import io.vgapass.host.Host;
import io.vgapass.host.HostReader;
import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** Where the host comes from: the live system, a directory or capture (--sysroot), or the example. */
public final class HostOptions {
  @ArgGroup(exclusive = true)
  Source source = new Source();

  static final class Source {
    @Option(names = "--sysroot", paramLabel = "DIR|FILE.tar.gz",
        description = "Read the host from this root (a directory, or a capture made by vgapass capture) instead of /.")
    Path sysroot;

    @Option(names = "--example", description = "Use the built-in reference machine (i5-4690, GTX 1060 + HD 4600, Fedora).")
    boolean example;
  }

  public SysRoot sysRoot() {
    if (source.example) return new SysRoot(ExampleHost.materialize());
    if (source.sysroot == null) return SysRoot.live();
    Path p = source.sysroot;
    if (Files.isRegularFile(p)) return new SysRoot(extract(p));
    if (!Files.isDirectory(p)) {
      throw new UserError("--sysroot " + p + ": no such directory or capture file; give a host root or a file "
          + "made by vgapass capture");
    }
    return new SysRoot(p);
  }

  private static Path extract(Path archive) {
    Path dir;
    try {
      dir = Files.createTempDirectory("vgapass-sysroot-");
    } catch (IOException e) {
      throw new UserError("--sysroot " + archive + ": cannot make a temporary directory to unpack it into ("
          + e.getMessage() + "); free space in " + System.getProperty("java.io.tmpdir"), ExitCode.FAILED);
    }
    TempTrees.deleteOnExit(dir);
    try {
      CaptureArchive.extract(archive, dir);
      return dir;
    } catch (CaptureArchive.BadCapture e) {
      TempTrees.delete(dir); // nothing of a refused capture stays behind
      throw new UserError("--sysroot " + archive + ": not a capture vgapass can replay (" + e.getMessage()
          + "); make one with vgapass capture --out FILE.tar.gz");
    } catch (IOException e) {
      TempTrees.delete(dir);
      throw new UserError("--sysroot " + archive + ": cannot be read (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage().replace(dir + "/", "")) + "); give a file made by "
          + "vgapass capture --out FILE.tar.gz");
    }
  }

  /** The host is this machine (neither --sysroot nor --example): its files can be checked where they are. */
  public boolean live() {
    return !source.example && source.sysroot == null;
  }

  /** The flag that points away from this machine, for messages: "--example" or "--sysroot DIR"; null when live. */
  String elsewhere() {
    return source.example ? "--example" : source.sysroot != null ? "--sysroot " + source.sysroot : null;
  }

  public Host read() {
    return read(sysRoot());
  }

  /** The host under a root this run already opened (a capture is unpacked once). */
  public Host read(SysRoot root) {
    Host h = HostReader.read(root);
    return source.example ? h.withSource("example:reference-h97") : h;
  }

  public String label() {
    return source.example ? "the reference machine (--example)" : source.sysroot != null ? source.sysroot.toString()
        : "this host";
  }
}
