package io.vgapass.cli;

import io.vgapass.host.SysRoot;
import io.vgapass.runtime.HookInstaller;
import io.vgapass.verify.Selftest;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "selftest",
    footerHeading = "%nExamples:%n",
    footer = {"  sudo vgapass selftest"},
    description = {"Prove on this host, before touching a real VM, that libvirt, QEMU and the kernel accept vgapass's "
        + "tuning: a throwaway TCG domain with the hooks, pinning, FIFO I/O thread and hugepages is defined, started, "
        + "verified, stopped and undefined, and nothing may be left behind.",
        "Exit 0 when every check passes."})
public final class SelftestCommand implements Callable<Integer> {
  @Mixin JsonOption json;
  @Option(names = "--kernel", paramLabel = "FILE", description = "Boot this kernel in the guest (optional).") Path kernel;
  @Option(names = "--initrd", paramLabel = "FILE", description = "Its initramfs (with --kernel).") Path initrd;
  @Option(names = "--fix", description = "First apply, through the host journal (vgapass host undo takes it back), the "
      + "fixes doctor knows for the libvirt host: the cgroup v1 RT trap in qemu.conf, a missing hugetlbfs mount.")
  boolean fix;
  @Mixin ConnectOption connect;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    checkBootFiles(); // before anything is read or defined
    SysRoot root = SysRoot.live();
    Selftest.Options options = new Selftest.Options(fix, kernel, initrd, new HookInstaller(root).installed());
    Selftest.Result result = new Selftest(root, options, SchemaCheck::validate,
        line -> spec.commandLine().getErr().println("vgapass: " + line)).run(connect::open);
    PrintWriter out = spec.commandLine().getOut();
    if (json.on) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("passed", result.passed());
      o.put("checks", result.checks());
      out.println(Json.write(o));
    } else {
      result.checks().forEach(c -> out.printf("%s %-20s %s%n", c.passed() ? "PASS" : "FAIL", c.name(), c.detail()));
      out.println(result.passed() ? "selftest passed" : "selftest failed");
    }
    return result.passed() ? ExitCode.OK : ExitCode.SHORT;
  }

  /** --kernel must be a Linux kernel image (a bzImage or an ELF vmlinux), --initrd a file that comes with it. */
  private void checkBootFiles() {
    if (initrd != null && kernel == null) throw new UserError("--initrd " + initrd + ": only with --kernel; add --kernel");
    if (kernel != null) {
      byte[] head = readHead(kernel, "--kernel", 0x206);
      boolean elf = head.length >= 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F';
      boolean bzImage = head.length >= 0x206 && new String(head, 0x202, 4, StandardCharsets.ISO_8859_1)
          .equals("HdrS");
      if (!elf && !bzImage) {
        throw new UserError("--kernel " + kernel + ": not a Linux kernel image (neither a bzImage nor an ELF vmlinux); "
            + "give e.g. /boot/vmlinuz-$(uname -r)");
      }
    }
    if (initrd != null) readHead(initrd, "--initrd", 1);
  }

  private static byte[] readHead(Path file, String option, int bytes) {
    if (Files.isDirectory(file)) throw new UserError(option + " " + file + ": a directory; give a file");
    if (!Files.isRegularFile(file)) throw new UserError(option + " " + file + ": no such file");
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(bytes);
    } catch (IOException e) {
      throw new UserError(option + " " + file + ": cannot read (" + e.getMessage() + ")");
    }
  }
}
