package io.vgapass.apply;

import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Collects the changes of a plan in apply order: files, then commands by phase. */
final class Changes {
  final SysRoot root;
  final List<List<String>> inEffect;
  final List<HostChange.FileEdit> files = new ArrayList<>();
  final List<HostChange.Command> kernelArgCommands = new ArrayList<>();
  final List<HostChange.Command> bootRegenerators = new ArrayList<>();
  final List<HostChange.Command> initramfsCommands = new ArrayList<>();
  final List<HostChange.Command> otherCommands = new ArrayList<>();
  final List<String> notes = new ArrayList<>();

  Changes(SysRoot root, List<List<String>> inEffect) {
    this.root = root;
    this.inEffect = inEffect;
  }

  /** The file's bytes as they are, or null when it does not exist. */
  byte[] bytes(String path) {
    try {
      return root.fileOrNull(path); // a link to a file is read through, inside the root
    } catch (IOException e) {
      throw new Refusal("/" + path + " cannot be read (" + e.getMessage() + "); nothing was changed");
    }
  }

  String text(String path) {
    byte[] b = bytes(path);
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  boolean exists(String path) {
    try {
      return Files.exists(root.entry(path), LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return true; // a path that loops is there, and the apply's checks refuse it
    }
  }

  /** Plans {@code path} to hold {@code text}; returns whether that changes anything. */
  boolean edit(String path, String text, String why) {
    byte[] prior = bytes(path);
    byte[] next = text.getBytes(StandardCharsets.UTF_8);
    if (prior != null && Arrays.equals(prior, next)) return false;
    files.add(new HostChange.FileEdit(path, prior, next, why));
    return true;
  }

  boolean changed(String path) {
    return files.stream().anyMatch(f -> f.path().equals(path));
  }

  /** A reversible command, unless a transaction still in effect already ran exactly it. */
  void reversible(List<HostChange.Command> phase, HostChange.Command c) {
    if (inEffect.contains(c.argv())) return;
    phase.add(c);
  }

  static void addOnce(List<HostChange.Command> phase, HostChange.Command c) {
    if (phase.stream().noneMatch(x -> x.argv().equals(c.argv()))) phase.add(c);
  }

  List<HostChange> all() {
    List<HostChange> out = new ArrayList<>(files);
    out.addAll(kernelArgCommands);
    out.addAll(bootRegenerators);
    out.addAll(initramfsCommands);
    out.addAll(otherCommands);
    return List.copyOf(out);
  }
}
