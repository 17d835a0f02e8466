package io.vgapass.runtime;

import io.vgapass.apply.Applier;
import io.vgapass.apply.HostChange;
import io.vgapass.apply.StepHook;
import io.vgapass.host.AtomicFiles;
import io.vgapass.host.InRoot;
import io.vgapass.host.VirtStack;
import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Installs the dispatcher as libvirt's qemu hook. With libvirt 6.5 or later it is a drop-in
 * ({@code hooks/qemu.d/vgapass}) beside whatever else is there; before that it becomes
 * {@code hooks/qemu}, and a hook that was already there moves aside and is called first.
 * The jar is copied next to it so the hook does not depend on the checkout.
 */
public final class HookInstaller {
  static final String LIB = "usr/local/lib/vgapass";
  static final String HOOKS = "etc/libvirt/hooks";
  static final String PREVIOUS = HOOKS + "/qemu.vgapass-previous";

  private final SysRoot root;

  public HookInstaller(SysRoot root) {
    this.root = root;
  }

  /** Where the dispatcher goes for this libvirt version (null version: the classic single hook). */
  public String hookPath(String libvirtVersion) {
    boolean dropIns = libvirtVersion != null && VirtStack.versionAtLeast(libvirtVersion, 6, 5);
    return dropIns ? HOOKS + "/qemu.d/vgapass" : HOOKS + "/qemu";
  }

  /**
   * Installs the dispatcher and a copy of the jar (jar null: the hook runs from {@code classpath},
   * as tests do before the jar exists). Returns what was done, one line each; dryRun changes nothing.
   * The hook files go through the host journal (apply's {@link Applier}): {@code vgapass host undo}
   * takes them back, an earlier hook included. The jar and its class-data archive are program files
   * beside it, written directly (a copy of vgapass, not host configuration).
   */
  public List<String> install(Path jar, String classpath, String java, String libvirtVersion, boolean dryRun)
      throws IOException {
    List<String> done = new ArrayList<>();
    String hook = hookPath(libvirtVersion);
    Path hookFile = at(hook);
    byte[] existing = regularOrNull(hookFile);
    String previous = null;
    List<HostChange> changes = new ArrayList<>();
    if (hook.equals(HOOKS + "/qemu") && existing != null && !ours(hookFile)) {
      previous = "/" + PREVIOUS;
      done.add("keep the existing hook: move /" + hook + " to " + previous + " and call it first");
      changes.add(HostChange.FileEdit.program(PREVIOUS, regularOrNull(at(PREVIOUS)), existing,
          "the qemu hook that was there before vgapass's, called first"));
    } else if (Files.exists(at(PREVIOUS))) {
      previous = "/" + PREVIOUS;
    }
    String installedJar = "/" + LIB + "/vgapass.jar";
    if (jar != null) done.add("copy " + jar + " to " + installedJar);
    done.add("write /" + hook + " (POSIX sh; Java starts only for domains with vgapass metadata)");
    String archive = "/" + LIB + "/vgapass.jsa";
    if (jar != null) done.add("train a class-data archive " + archive + " (faster hook starts)");
    String launch = jar != null ? HookScript.jarLaunch(installedJar, archive) : HookScript.classpathLaunch(classpath);
    byte[] script = HookScript.render(java, launch, previous).getBytes(StandardCharsets.UTF_8);
    if (!Arrays.equals(existing, script)) {
      changes.add(HostChange.FileEdit.program(hook, existing, script, "libvirt's qemu hook (vgapass dispatcher)"));
    }
    if (dryRun) return done;
    if (jar != null) {
      Files.createDirectories(at(LIB));
      // root's copy (0600, as the temporary file it always was): only the hook, run by root, reads it
      AtomicFiles.write(at(LIB + "/vgapass.jar"), out -> Files.copy(jar, out), AtomicFiles.SECRET_MODE);
      train(java);
    }
    if (!changes.isEmpty()) {
      // the hooks directory as the root has it (a link in it followed inside the root), as before the journal
      Files.createDirectories(hookFile.getParent());
      new Applier(root, Applier.runnerFor(root), line -> { }, StepHook.NONE)
          .apply(changes, Map.of("command", "hooks install"));
    }
    return done;
  }

  /** A hook file's bytes when a regular file is there (a FIFO or a link is never opened), else null. */
  private static byte[] regularOrNull(Path p) {
    try {
      return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? InRoot.readRegular(p, InRoot.MAX_FILE) : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** A training run of the hook dumps the classes it loads; without an archive the hook still works, slower. */
  private void train(String java) {
    Path archive = at(LIB + "/vgapass.jsa");
    try {
      Files.deleteIfExists(archive);
      Process p = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData",
          "-XX:ArchiveClassesAtExit=" + archive, "-Xlog:disable", "-Xlog:all=off", "-jar",
          at(LIB + "/vgapass.jar").toString(), "hook", "--training")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) p.destroyForcibly();
    } catch (IOException e) {
      // no archive: the hook starts without it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public List<String> uninstall(boolean dryRun) throws IOException {
    List<String> done = new ArrayList<>();
    for (String hook : List.of(HOOKS + "/qemu.d/vgapass", HOOKS + "/qemu")) {
      Path f = at(hook);
      if (Files.exists(f) && ours(f)) {
        done.add("remove /" + hook);
        if (!dryRun) Files.delete(f);
      }
    }
    if (Files.exists(at(PREVIOUS))) {
      done.add("put the earlier hook back: /" + PREVIOUS + " -> /" + HOOKS + "/qemu");
      if (!dryRun) Files.move(at(PREVIOUS), at(HOOKS + "/qemu"), StandardCopyOption.ATOMIC_MOVE);
    }
    for (String f : List.of(LIB + "/vgapass.jar", LIB + "/vgapass.jsa")) {
      if (Files.exists(at(f))) {
        done.add("remove /" + f);
        if (!dryRun) Files.delete(at(f));
      }
    }
    return done;
  }

  public boolean installed() {
    return List.of(HOOKS + "/qemu.d/vgapass", HOOKS + "/qemu").stream().map(this::at)
        .anyMatch(p -> Files.exists(p) && ours(p));
  }

  /**
   * A file of the hooks, its directories' links followed inside the root ({@link SysRoot#entry}): install and
   * uninstall under {@code --sysroot} never write or remove outside it. A path that loops stays as written:
   * nothing can be made there, and the operation says so.
   */
  private Path at(String relative) {
    try {
      return root.entry(relative);
    } catch (IOException e) {
      return root.resolve(relative);
    }
  }

  /** Whether a hook file is vgapass's: a regular file (a FIFO or a link is not opened) that holds the marker. */
  private static boolean ours(Path hook) {
    try {
      return new String(InRoot.readRegular(hook, InRoot.MAX_FILE), StandardCharsets.UTF_8).contains(HookScript.MARKER);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

}
