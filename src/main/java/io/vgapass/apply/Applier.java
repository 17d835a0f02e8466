package io.vgapass.apply;

import io.vgapass.host.AtomicFiles;
import io.vgapass.host.InRoot;
import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Makes the changes of a {@link Preparation} as one transaction, and takes transactions back.
 *
 * <p>Apply: check every file can be written (nothing is changed when one cannot), write the whole
 * transaction to the {@link Journal}, then each step in order: files first (atomically), then commands. A
 * failing command or write rolls back everything this apply did ({@link Failed}, exit 3). Undo and roll-back
 * are one procedure: files still holding the bytes apply wrote get their prior bytes back (or are removed),
 * the commands with an inverse are taken back, and the regenerators run again over the restored files. Each
 * of those is decided from what is on disk and the journal's markers, so an interrupted undo or roll-back is
 * finished by running it again.
 */
public final class Applier {
  private final SysRoot root;
  private final CommandRunner runner;
  private final Consumer<String> progress;
  private final StepHook hook;
  private final Journal journal;

  public Applier(SysRoot root, CommandRunner runner, Consumer<String> progress, StepHook hook) {
    this.root = root;
    this.runner = runner;
    this.progress = progress;
    this.hook = hook;
    this.journal = new Journal(root, hook);
  }

  /**
   * Test hook: {@code -Dvgapass.test.chroot=true} runs the commands of a root other than {@code /} inside it
   * ({@code chroot ROOT update-grub ...}) instead of listing them; the debootstrap test uses it to run Debian's
   * own update-initramfs and update-grub over a real Debian root.
   */
  public static final String CHROOT_PROPERTY = "vgapass.test.chroot";

  /** The runner a root calls for: processes on {@code /}, a list anywhere else (or chroot, see above). */
  public static CommandRunner runnerFor(SysRoot root) {
    if (root.isLive()) return new ProcessRunner();
    if (Boolean.getBoolean(CHROOT_PROPERTY)) return new ProcessRunner(List.of("chroot", root.root().toString()));
    return new ListingRunner();
  }

  public Journal journal() {
    return journal;
  }

  /** An operation failed part-way and what it had done was taken back (exit 3). */
  public static final class Failed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Failed(String message) {
      super(message);
    }
  }

  /**
   * Finishes a transaction that an earlier run left half-done (killed apply: rolled back; killed undo:
   * completed). Returns what it did, or empty when there was nothing to finish.
   */
  public Optional<String> recover() {
    try (JournalLock lock = journal.lock("finishing an interrupted run")) {
      journal.requireIntact();
      Optional<Transaction> t = journal.interrupted();
      if (t.isEmpty()) return Optional.empty();
      Transaction tx = t.get();
      boolean wasUndo = tx.state().equals(Transaction.UNDOING);
      revert(tx, false, wasUndo ? Reversal.UNDO : Reversal.ROLLBACK);
      return Optional.of((wasUndo ? "finished the interrupted undo of " : "rolled back the interrupted apply ")
          + tx.id());
    }
  }

  /**
   * Applies the changes as one transaction; empty when there is nothing to change. Holds the journal's lock
   * throughout (a caller that planned under it keeps holding it), and refuses while a damaged entry may be in
   * effect.
   */
  public Optional<Transaction> apply(List<HostChange> changes, Map<String, Object> request) {
    if (changes.isEmpty()) return Optional.empty();
    try (JournalLock lock = journal.lock(String.valueOf(request.getOrDefault("command", "host apply")))) {
      journal.requireIntact();
      return applyLocked(changes, request);
    }
  }

  private Optional<Transaction> applyLocked(List<HostChange> changes, Map<String, Object> request) {
    List<List<String>> created = preflight(changes);
    Transaction tx;
    try {
      tx = journal.begin(request, changes, created);
    } catch (IOException e) {
      throw new Refusal("cannot write the journal under /" + Journal.DIR + " (" + e.getMessage()
          + "); nothing was changed");
    }
    int total = tx.steps().size();
    Journal.Step current = null;
    try {
      for (Journal.Step s : tx.steps()) {
        current = s;
        forward(tx, s, total);
      }
      tx.state(Transaction.COMMITTED);
      hook.at("committed");
      return Optional.of(tx);
    } catch (IOException | RuntimeException e) {
      String what = e instanceof CommandFailure cf ? cf.getMessage()
          : "step " + current.number() + " (" + describe(current.change()) + ") failed: " + e.getMessage();
      progress.accept("failed: " + what + "; rolling back");
      List<String> warnings = revert(tx, true, Reversal.ROLLBACK);
      StringBuilder m = new StringBuilder(what + "; every change of this apply was rolled back (journal "
          + tx.id() + ")");
      for (String w : warnings) m.append("\n  warning: ").append(w);
      if (e instanceof CommandFailure cf && !cf.output.isBlank()) {
        m.append("\n  its output:\n").append(cf.output.indent(4).stripTrailing());
      }
      throw new Failed(m.toString());
    }
  }

  /** Takes back the newest transaction in effect; empty when there is none. */
  public Optional<Transaction> undo(boolean force) {
    try (JournalLock lock = journal.lock("host undo")) {
      journal.requireIntact();
      Optional<Transaction> t = journal.latestCommitted();
      if (t.isEmpty()) return Optional.empty();
      List<String> warnings = revert(t.get(), force, Reversal.UNDO);
      warnings.forEach(w -> progress.accept("warning: " + w));
      return t;
    }
  }

  private void forward(Transaction tx, Journal.Step s, int total) throws IOException {
    int n = s.number();
    hook.at("before step " + n);
    tx.mark(n, "started");
    if (s.change() instanceof HostChange.FileEdit f) {
      Path p = root.entry(f.path());
      progress.accept("[" + n + "/" + total + "] " + (f.removes() ? "remove " : f.creates() ? "create " : "edit ")
          + "/" + f.path());
      AtomicFiles.createDirs(p.getParent());
      AtomicFiles.sweepTemps(p);
      if (f.removes()) AtomicFiles.delete(p);
      else AtomicFiles.write(p, f.next(), mode(f), () -> hook.at("step " + n + " temp written"));
    } else if (s.change() instanceof HostChange.Command c) {
      run(c.argv(), "[" + n + "/" + total + "] ", c.slow());
    }
    tx.mark(n, "done");
    hook.at("after step " + n);
  }

  private void run(List<String> argv, String label, boolean slow) throws IOException {
    String shown = Shell.join(argv);
    if (!runner.executes()) {
      progress.accept(label + "listed, not run (the root is not /): " + shown);
    } else {
      progress.accept(label + "run " + shown + (slow ? " (this can take a minute)" : ""));
    }
    long t0 = System.nanoTime();
    CommandRunner.Outcome o = runner.run(argv, line -> { });
    if (!o.ok()) throw new CommandFailure(shown + " failed (exit " + o.exitCode() + ")", o.output());
    if (slow && runner.executes()) {
      progress.accept("      done in " + (System.nanoTime() - t0) / 1_000_000_000L + " s");
    }
  }

  private static final class CommandFailure extends IOException {
    private static final long serialVersionUID = 1L;
    final String output;

    CommandFailure(String message, String output) {
      super(message);
      this.output = output == null ? "" : output;
    }
  }

  /**
   * Why a transaction is being taken back, and so the journal states it passes through: the state written before
   * the first step is reverted (a run killed in it is finished by {@link #recover}) and the state written when all
   * are.
   */
  enum Reversal {
    /** A failed apply taking back its own steps. */
    ROLLBACK(Transaction.ROLLING_BACK, Transaction.ROLLED_BACK),
    /** {@code host undo} taking back a committed transaction. */
    UNDO(Transaction.UNDOING, Transaction.UNDONE);

    final String whileReverting;
    final String whenReverted;

    Reversal(String whileReverting, String whenReverted) {
      this.whileReverting = whileReverting;
      this.whenReverted = whenReverted;
    }
  }

  /**
   * Restores the files of {@code tx}, takes back its reversible commands and runs its regenerators again.
   * Returns warnings (a regenerator that failed again); throws {@link Failed} when an inverse command
   * fails (run again to finish) and {@link Refusal} when a file was changed by someone else since.
   */
  List<String> revert(Transaction tx, boolean force, Reversal why) {
    List<String> conflicts = new ArrayList<>();
    for (Journal.Step s : tx.steps()) {
      if (s.change() instanceof HostChange.FileEdit f) {
        byte[] cur = read(entryOrNull(f.path()));
        if (!Arrays.equals(cur, f.next()) && !Arrays.equals(cur, f.prior())) conflicts.add("/" + f.path());
      }
    }
    if (!conflicts.isEmpty() && !force) {
      throw new Refusal(String.join(", ", conflicts) + (conflicts.size() == 1 ? " was" : " were")
          + " changed after vgapass wrote " + (conflicts.size() == 1 ? "it" : "them") + " (transaction " + tx.id()
          + "); nothing was undone. Look at the changes, then run vgapass host undo --force to restore the "
          + "versions from before the apply");
    }
    List<String> warnings = new ArrayList<>();
    try {
      tx.state(why.whileReverting);
      List<Journal.Step> reversed = new ArrayList<>(tx.steps());
      Collections.reverse(reversed);
      for (Journal.Step s : reversed) {
        int n = s.number();
        hook.at("before revert " + n);
        if (s.change() instanceof HostChange.FileEdit f) {
          Path p = root.entry(f.path());
          AtomicFiles.sweepTemps(p);
          byte[] cur = read(p);
          if (!Arrays.equals(cur, f.prior())) {
            progress.accept((f.prior() == null ? "remove /" : f.removes() ? "put back /" : "restore /") + f.path());
            if (f.prior() == null) {
              AtomicFiles.delete(p);
            } else {
              AtomicFiles.write(p, f.prior(), mode(f), () -> hook.at("revert " + n + " temp written"));
            }
          }
          List<String> dirs = new ArrayList<>(s.createdDirs());
          Collections.reverse(dirs);
          for (String d : dirs) removeIfEmpty(root.entry(d));
          tx.mark(n, "reverted");
        } else if (s.change() instanceof HostChange.Command c && !c.regenerates()) {
          if (tx.has(n, "started") && !tx.has(n, "reverted")) {
            try {
              run(c.inverse(), "take back: ", false);
            } catch (IOException e) {
              throw new Failed(e.getMessage() + " while taking back " + c.display() + " (transaction " + tx.id()
                  + "); fix the cause and run vgapass host undo again: it goes on where it stopped"
                  + (e instanceof CommandFailure cf && !cf.output.isBlank() ? "\n" + cf.output.indent(4).stripTrailing()
                      : ""));
            }
            tx.mark(n, "reverted");
          }
        }
        hook.at("after revert " + n);
      }
      Set<List<String>> again = new LinkedHashSet<>();
      for (Journal.Step s : tx.steps()) {
        if (s.change() instanceof HostChange.Command c && c.regenerates() && tx.has(s.number(), "started")) {
          again.add(c.argv());
        }
      }
      for (List<String> argv : again) {
        try {
          run(argv, "regenerate: ", true);
        } catch (IOException e) {
          warnings.add(e.getMessage() + ": the files are restored; run " + Shell.join(argv) + " yourself once "
              + "the cause is fixed");
        }
      }
      tx.state(why.whenReverted);
      hook.at("reverted");
    } catch (IOException e) {
      throw new Failed("cannot restore the files of transaction " + tx.id() + " (" + e.getMessage()
          + "); fix the cause and run vgapass host undo again: it goes on where it stopped");
    }
    return warnings;
  }

  private static void removeIfEmpty(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) return;
    try (var s = Files.list(dir)) {
      if (s.findAny().isPresent()) return;
    }
    Files.deleteIfExists(dir);
    AtomicFiles.syncDir(dir.getParent());
  }

  /**
   * Refuses (nothing changed) when a file cannot be replaced: a symbolic link, a read-only file, a directory
   * that cannot be written, or a file that changed since it was planned. Returns, per change, the directories
   * apply will create for it.
   */
  List<List<String>> preflight(List<HostChange> changes) {
    List<List<String>> created = new ArrayList<>();
    Set<Path> willExist = new HashSet<>();
    for (HostChange c : changes) {
      List<String> dirs = new ArrayList<>();
      if (c instanceof HostChange.FileEdit f) {
        String shown = "/" + f.path();
        Path p;
        try {
          p = root.entry(f.path()); // its directories' links are followed inside the root, never out of it
        } catch (IOException e) {
          throw new Refusal(shown + " cannot be reached (" + e.getMessage() + "); nothing was changed");
        }
        if (Files.isSymbolicLink(p)) {
          throw new Refusal(shown + " is a symbolic link; vgapass replaces regular files only: edit the file it "
              + "points to yourself, or replace the link by a copy, and run again");
        }
        if (Files.exists(p) && !Files.isRegularFile(p)) {
          throw new Refusal(shown + " is not a regular file; move it aside and run again");
        }
        if (!Arrays.equals(read(p), f.prior())) {
          throw new Refusal(shown + " changed while vgapass planned its changes; run again");
        }
        PosixFileAttributes a = AtomicFiles.attributes(p);
        if (a != null && !a.permissions().contains(PosixFilePermission.OWNER_WRITE)) {
          throw new Refusal(shown + " is read-only (mode " + PosixFilePermissions.toString(a.permissions())
              + "); vgapass does not override that: make it writable (chmod u+w " + shown + ") if it should "
              + "change, and run again; nothing was changed");
        }
        Path dir = p.getParent();
        List<Path> missing = new ArrayList<>();
        while (dir != null && !Files.isDirectory(dir) && !willExist.contains(dir)) {
          if (Files.exists(dir)) throw new Refusal("/" + root.root().relativize(dir) + " is not a directory");
          missing.add(0, dir);
          dir = dir.getParent();
        }
        if (dir != null && Files.isDirectory(dir)) probe(dir);
        for (Path m : missing) {
          String rel = root.root().relativize(m).toString();
          if (!f.path().startsWith(rel + "/")) {
            // the file's directory is a link (followed inside the root) to a place that does not exist: making
            // directories there is not what the user asked for, and undo could not tell them from the file's own
            throw new Refusal(shown + ": a directory on its path is a symbolic link to /" + rel + ", which does not "
                + "exist; create it, or replace the link by a directory, and run again; nothing was changed");
          }
          dirs.add(rel);
          willExist.add(m);
        }
      }
      created.add(List.copyOf(dirs));
    }
    return created;
  }

  private void probe(Path dir) {
    try {
      Path t = Files.createTempFile(dir, AtomicFiles.TEMP_PREFIX + "probe-", AtomicFiles.TEMP_SUFFIX);
      Files.delete(t);
    } catch (IOException e) {
      throw new Refusal("cannot write in /" + root.root().relativize(dir) + " (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "; a read-only file system?); nothing was changed");
    }
  }

  /** The path of a host file to replace ({@link SysRoot#entry}), or null when it loops (read as absent). */
  private Path entryOrNull(String path) {
    try {
      return root.entry(path);
    } catch (IOException e) {
      return null;
    }
  }

  /** A file's bytes as apply compares them: null when no regular file is there (a link is not followed). */
  /** The mode of a file the change creates (an existing file keeps its own). */
  private static java.util.Set<java.nio.file.attribute.PosixFilePermission> mode(HostChange.FileEdit f) {
    return f.secret() ? AtomicFiles.SECRET_MODE : f.executable() ? AtomicFiles.PROGRAM_MODE : AtomicFiles.DEFAULT_MODE;
  }

  static byte[] read(Path p) {
    try {
      return p != null && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
          ? InRoot.readRegular(p, InRoot.MAX_FILE) : null;
    } catch (IOException e) {
      return null;
    }
  }

  static String describe(HostChange c) {
    return c instanceof HostChange.FileEdit f ? "/" + f.path() : ((HostChange.Command) c).display();
  }
}
