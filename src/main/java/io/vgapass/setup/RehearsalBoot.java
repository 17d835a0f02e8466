package io.vgapass.setup;

import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The reboot of a rehearsal on a root that lives for one run only (the reference machine, an unpacked capture): the
 * new kernel arguments appear on its proc/cmdline, as the next boot would show them. Never on a live host, where only
 * a real boot changes /proc/cmdline.
 */
final class RehearsalBoot {
  private RehearsalBoot() {}

  static void boot(SysRoot root, List<String> kernelArgs) {
    if (root.isLive()) throw new IllegalStateException("a rehearsal boot on the live host");
    try {
      Path cmdline = root.entry("proc/cmdline");
      String now = Files.isRegularFile(cmdline) ? Files.readString(cmdline, StandardCharsets.UTF_8).strip() : "";
      List<String> words = new ArrayList<>(List.of(now.split("\\s+")));
      for (String a : kernelArgs) {
        if (!words.contains(a)) words.add(a);
      }
      Files.writeString(cmdline, String.join(" ", words).strip() + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("the rehearsal's proc/cmdline cannot be written", e);
    }
  }
}
