package io.vgapass.runtime;

import io.vgapass.domain.DeviceRecords;
import io.vgapass.domain.VgapassMetadata;
import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What libvirt's qemu hook runs for a vgapass domain: {@code hook [--sysroot DIR] qemu NAME OP
 * SUBOP [EXTRA]} with the domain XML on stdin. It sits on the VM's start path, so it avoids the
 * CLI framework and JSON: parse the arguments, read the metadata, act, exit.
 */
public final class HookMain {
  private HookMain() {}

  /** Runs the hook; returns the exit code (1 makes libvirt refuse the start and show our message). */
  public static int run(String[] args, InputStream in, PrintStream err) {
    List<String> a = new ArrayList<>(Arrays.asList(args));
    if (!a.isEmpty() && a.get(0).equals("hook")) a.remove(0);
    if (a.equals(List.of("--training"))) return HookTraining.run(err);
    Path sysroot = null;
    if (a.size() >= 2 && a.get(0).equals("--sysroot")) {
      sysroot = Path.of(a.get(1));
      a = a.subList(2, a.size());
    }
    if (a.size() < 4) {
      err.println("vgapass: hook needs: qemu NAME OPERATION SUB-OPERATION (libvirt calls it; see vgapass hooks install)");
      return 2;
    }
    String domain = a.get(1);
    boolean prepare = a.get(2).equals("prepare") && a.get(3).equals("begin");
    boolean release = a.get(2).equals("release") && a.get(3).equals("end");
    if (!a.get(0).equals("qemu") || !prepare && !release) return 0;
    SysRoot root = sysroot == null ? SysRoot.live() : new SysRoot(sysroot);
    Lifecycle life = new Lifecycle(root, root.isLive() ? Commands.REAL : Commands.NONE);
    String phase = a.get(2) + "/" + a.get(3);
    try {
      List<String> log;
      if (prepare) {
        String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        VgapassMetadata m = VgapassMetadata.read(xml, "domain " + domain + " (hook stdin)");
        if (m == null || !m.planned()) return 0; // no vgapass tuning (e.g. only a vgapass share)
        log = life.prepare(domain, m, DeviceRecords.read(xml, "domain " + domain + " (hook stdin)"));
      } else {
        log = life.release(domain);
      }
      log(root, domain, phase + ": " + String.join("; ", log));
      return 0;
    } catch (HookFailure | IllegalArgumentException | IOException | UncheckedIOException e) {
      log(root, domain, phase + " FAILED: " + e.getMessage());
      err.println("vgapass: " + e.getMessage());
      return 1;
    }
  }

  private static void log(SysRoot root, String domain, String line) {
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
