package io.vgapass.cli;

import io.vgapass.host.CaptureArchive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "capture", mixinStandardHelpOptions = true,
    description = {"Save the parts of /sys, /proc and /etc that vgapass reads, for a bug report.",
        "Replay it with: vgapass doctor --sysroot FILE.tar.gz"})
public final class CaptureCommand implements Callable<Integer> {
  @Mixin HostOptions host;

  @Option(names = "--out", required = true, paramLabel = "FILE.tar.gz", description = "Where to write the capture.")
  Path out;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Path parent = out.toAbsolutePath().getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new UserError("--out " + out + ": the directory " + parent + " does not exist; create it or pick another path");
    }
    int n = CaptureArchive.capture(host.sysRoot(), out);
    spec.commandLine().getOut().println("wrote " + n + " entries to " + out
        + " (no secrets: only hardware, kernel and boot facts); replay: vgapass doctor --sysroot " + out);
    return Main.OK;
  }
}
