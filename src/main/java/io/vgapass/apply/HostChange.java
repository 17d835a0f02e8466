package io.vgapass.apply;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One change {@code vgapass host apply} makes to the host: a file written whole, or a command run after the
 * files. Paths are relative to the {@link io.vgapass.host.SysRoot}; nothing here names an absolute path of the
 * machine running vgapass.
 */
public sealed interface HostChange permits HostChange.FileEdit, HostChange.Command {

  /** What the change is for, in a few words ("kernel arguments for GRUB"). */
  String why();

  /**
   * A file replaced whole (atomically).
   *
   * @param path relative to the root ("etc/default/grub")
   * @param prior the bytes before, or null when the file does not exist (apply creates it, undo removes it)
   * @param next the bytes after, or null when the change removes the file (undo puts it back)
   * @param secret a credential: a new file is created root-only (0600) and no diff shows its bytes
   * @param executable a program (libvirt's hook): a new file is created 0755
   */
  record FileEdit(String path, byte[] prior, byte[] next, String why, boolean secret, boolean executable)
      implements HostChange {
    public FileEdit(String path, byte[] prior, byte[] next, String why) {
      this(path, prior, next, why, false, false);
    }

    public FileEdit(String path, byte[] prior, byte[] next, String why, boolean secret) {
      this(path, prior, next, why, secret, false);
    }

    /** A program written whole (created 0755; an existing one keeps its mode). */
    public static FileEdit program(String path, byte[] prior, byte[] next, String why) {
      return new FileEdit(path, prior, next, why, false, true);
    }

    public FileEdit {
      if (path.startsWith("/")) throw new IllegalArgumentException("relative path expected: " + path);
      if (next == null && prior == null) throw new IllegalArgumentException("nothing to change: " + path);
      next = next == null ? null : next.clone();
      prior = prior == null ? null : prior.clone();
    }

    public boolean creates() {
      return prior == null;
    }

    public boolean removes() {
      return next == null;
    }

    public String priorText() {
      return prior == null ? "" : new String(prior, StandardCharsets.UTF_8);
    }

    public String nextText() {
      return next == null ? "" : new String(next, StandardCharsets.UTF_8);
    }

    @Override
    public byte[] next() {
      return next == null ? null : next.clone();
    }

    @Override
    public byte[] prior() {
      return prior == null ? null : prior.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof FileEdit f && f.path.equals(path) && Arrays.equals(f.prior, prior)
          && Arrays.equals(f.next, next) && f.why.equals(why) && f.secret == secret && f.executable == executable;
    }

    @Override
    public int hashCode() {
      return path.hashCode() * 31 + Arrays.hashCode(next);
    }

    @Override
    public String toString() {
      return "FileEdit[" + path + (prior == null ? ", new" : "") + "]";
    }
  }

  /**
   * A command run after the files are in place.
   *
   * @param argv the command and its arguments, as run on the host (absolute paths are the host's own)
   * @param inverse the command that takes it back (grubby --remove-args for grubby --args), or empty for a
   *     regenerator: a command that only rebuilds output from the files (update-grub, dracut -f), which undo
   *     simply runs again once the files are restored
   * @param slow it may take a minute (initramfs rebuilds): progress is shown
   */
  record Command(List<String> argv, List<String> inverse, String why, boolean slow) implements HostChange {
    public Command {
      argv = List.copyOf(argv);
      inverse = List.copyOf(inverse);
    }

    public static Command regenerator(String why, boolean slow, String... argv) {
      return new Command(List.of(argv), List.of(), why, slow);
    }

    public static Command reversible(String why, List<String> argv, List<String> inverse) {
      return new Command(argv, inverse, why, false);
    }

    public boolean regenerates() {
      return inverse.isEmpty();
    }

    /** The command line as a shell would show it, arguments with blanks quoted. */
    public String display() {
      return Shell.join(argv);
    }
  }
}
