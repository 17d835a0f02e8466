package io.vgapass.cli;

import io.vgapass.domain.VgapassMetadata;
import io.vgapass.domain.XmlDoc;
import io.vgapass.host.SysRoot;
import io.vgapass.runtime.Commands;
import io.vgapass.runtime.HookFailure;
import io.vgapass.runtime.Lifecycle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** What libvirt's qemu hook runs for a vgapass domain: prepare/begin and release/end. */
@Command(name = "hook", hidden = true, description = "Run by libvirt's qemu hook (see vgapass hooks install).")
public final class HookCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "Hook object (qemu).") String object;
  @Parameters(index = "1", description = "Domain name.") String domain;
  @Parameters(index = "2", description = "Operation (prepare, start, started, stopped, release...).") String op;
  @Parameters(index = "3", description = "Sub-operation (begin, end, -).") String subop;
  @Parameters(index = "4", arity = "0..1") String extra;

  @Option(names = "--sysroot", paramLabel = "DIR", description = "Act on this root instead of / (tests).")
  Path sysroot;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    boolean prepare = op.equals("prepare") && subop.equals("begin");
    boolean release = op.equals("release") && subop.equals("end");
    if (!object.equals("qemu") || !prepare && !release) return Main.OK;
    SysRoot root = sysroot == null ? SysRoot.live() : new SysRoot(sysroot);
    Lifecycle life = new Lifecycle(root, root.isLive() ? Commands.REAL : Commands.NONE);
    try {
      List<String> log;
      if (prepare) {
        String xml = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        VgapassMetadata m = VgapassMetadata.read(XmlDoc.parse("domain " + domain + " (hook stdin)", xml));
        if (m == null) return Main.OK;
        log = life.prepare(domain, m);
      } else {
        log = life.release(domain);
      }
      log(root, op + "/" + subop + ": " + String.join("; ", log));
      return Main.OK;
    } catch (HookFailure e) {
      log(root, op + "/" + subop + " FAILED: " + e.getMessage());
      spec.commandLine().getErr().println("vgapass: " + e.getMessage());
      return Main.SHORT;
    }
  }

  private void log(SysRoot root, String line) {
    try {
      Path f = root.resolve("var/log/vgapass/hooks.log");
      Files.createDirectories(f.getParent());
      Files.writeString(f, Instant.now() + " " + domain + " " + line + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException ignored) {
      // the log is a convenience; the hook's result stands
    }
  }
}
