package io.vgapass.cli;

import io.vgapass.host.SysRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * --sysroot DIR: a directory to work under instead of / (tests, staging), for the commands that act on the host's
 * files or devices (gpu, hooks, input, net, share, verify). Only a directory: these commands write there or read live
 * device state, which a capture does not replay. The commands that only read the host model take {@link HostOptions}
 * instead, whose --sysroot also takes a capture file.
 */
public final class RootDirOption {
  @Option(names = "--sysroot", paramLabel = "DIR", description = "Work under this directory instead of / (tests).")
  Path dir;

  /** The root to work under: / when --sysroot is not given; a missing directory is refused in one line. */
  SysRoot root() {
    if (dir == null) return SysRoot.live();
    if (!Files.isDirectory(dir)) throw new UserError("--sysroot " + dir + ": no such directory");
    return new SysRoot(dir);
  }
}
