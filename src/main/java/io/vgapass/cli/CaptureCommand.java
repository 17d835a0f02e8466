package io.vgapass.cli;

import io.vgapass.host.CaptureArchive;
import io.vgapass.host.SecretParameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "capture",
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
    if (Files.isDirectory(out)) {
      throw new UserError("--out " + out + ": is a directory; give the file to write, e.g. --out "
          + out.resolve("capture.tar.gz"));
    }
    CaptureArchive.Written w;
    try {
      w = CaptureArchive.capture(host.sysRoot(), out);
    } catch (CaptureArchive.BadCapture e) {
      throw new UserError("--sysroot " + host.label() + ": " + e.getMessage());
    } catch (IOException e) {
      // nothing was written: the capture goes to a temporary file first and is renamed over --out at the end
      throw new UserError("--out " + out + ": cannot write it (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); pick another path");
    }
    StringBuilder redacted = new StringBuilder();
    w.redacted().forEach((file, names) -> redacted.append(redacted.length() == 0 ? "" : ", ").append(file)
        .append(": ").append(String.join(" ", names)));
    spec.commandLine().getOut().println("wrote " + w.entries() + " entries to " + out
        + " (no secrets: only hardware, kernel and boot facts"
        + (redacted.length() == 0 ? "" : "; values replaced by " + SecretParameters.REDACTED + " in " + redacted
            + ", listed in " + CaptureArchive.MANIFEST)
        + "); replay: vgapass doctor --sysroot " + out);
    return ExitCode.OK;
  }
}
