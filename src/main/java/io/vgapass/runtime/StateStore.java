package io.vgapass.runtime;

import io.vgapass.host.AtomicFiles;
import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The undo log of one running VM: {@code run/vgapass/NAME.state}, one tab-separated line per
 * change (kind, path, previous value, pages added; kept plain so the hook loads no JSON library),
 * written and fsynced BEFORE the change is made. Release replays it backwards, so a crashed or
 * killed VM is still undone; a missing file means there is nothing to undo.
 */
public final class StateStore {
  /** One recorded change: set {@code path} back to {@code previous}, or give back {@code added} pages. */
  public record Entry(String kind, String path, String previous, long added) {
    public Entry(StateKind kind, String path, String previous, long added) {
      this(kind.id(), path, previous, added);
    }

    /** The kind, or null for a word vgapass never writes. */
    public StateKind type() {
      return StateKind.of(kind);
    }
  }

  private final SysRoot root;
  private final String name;

  /** The domains whose state file under /run/vgapass records a single-GPU hand-over (unreadable files left out). */
  public static List<String> singleGpuHandovers(SysRoot root) {
    List<String> found = new ArrayList<>();
    for (String f : root.list("run/vgapass")) {
      if (!f.endsWith(".state") || f.length() == ".state".length()) continue;
      String name = f.substring(0, f.length() - ".state".length());
      try {
        if (new StateStore(root, name).entries().stream().anyMatch(e -> e.kind().startsWith("single-"))) found.add(name);
      } catch (RuntimeException unreadable) {
        // not a state file vgapass can read: not one to pick silently
      }
    }
    return found;
  }

  public StateStore(SysRoot root, String domain) {
    // libvirt refuses such names; the hook's arguments are checked all the same (prepare.sh alike)
    if (domain.isEmpty() || domain.contains("/")) {
      throw new HookFailure("the domain name '" + domain + "' cannot name a state file in /run/vgapass (empty, or"
          + " it has a '/'); rename the domain");
    }
    this.root = root;
    this.name = domain;
  }

  public Path file() {
    return root.resolve("run/vgapass/" + name + ".state");
  }

  /** True when anything is there, even a dangling link (which must not be written through). */
  public boolean exists() {
    return Files.exists(file(), LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * A state file that is not a plain file (a link, a device, a directory) was not written by vgapass: reading it
   * could hang on a device or read another file, writing through it would append to that file. Removes it (not
   * what it points to) and says so; true when it was such a file.
   */
  boolean refuseIfNotPlain() {
    Path f = file();
    if (!Files.exists(f, LinkOption.NOFOLLOW_LINKS) || Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) return false;
    try {
      if (!Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) Files.delete(f);
    } catch (IOException e) {
      // left where it is; the log line says it was refused
    }
    return true;
  }

  /** Appends one entry durably before the caller makes the change it describes. */
  public void record(Entry e) {
    try {
      Files.createDirectories(file().getParent());
      String line = encode(e) + "\n";
      try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS)) {
        ch.write(StandardCharsets.UTF_8.encode(line));
        ch.force(true);
      }
    } catch (IOException ex) {
      throw new HookFailure("cannot write the state file " + file() + ": " + ex.getMessage()
          + " (nothing was changed for this step)");
    }
  }

  /** The entries in the order they were recorded; a torn last line (crash mid-write) is skipped. */
  public List<Entry> entries() {
    List<Entry> out = new ArrayList<>();
    if (!exists()) return out;
    try {
      for (String line : Files.readAllLines(file(), StandardCharsets.UTF_8)) {
        if (line.isBlank()) continue;
        Entry e = decode(line);
        if (e != null) out.add(e); // a torn line: the change after it was never made, the entry came first
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static String encode(Entry e) {
    return String.join("\t", "v1", clean(e.kind()), clean(e.path()), clean(e.previous()), String.valueOf(e.added()),
        "end");
  }

  /**
   * One line back as an entry, or null for a torn line. A count that is not one vgapass writes (a sign, a leading
   * zero, too long) becomes -1, which {@link OwnedPlaces} refuses: the file is read as hostile.
   */
  static Entry decode(String line) {
    String[] f = line.split("\t", -1);
    if (f.length != 6 || !f[0].equals("v1") || !f[5].equals("end")) return null;
    return new Entry(f[1], f[2], f[3], OwnedPlaces.canonical(f[4]) ? Long.parseLong(f[4]) : -1);
  }

  private static String clean(String s) {
    return s == null ? "" : s.replace('\t', ' ').replace('\n', ' ');
  }

  /** Rewrites the log without the entries already undone, so an interrupted release resumes. */
  public void keepOnly(List<Entry> remaining) {
    try {
      if (remaining.isEmpty()) {
        Files.deleteIfExists(file());
        return;
      }
      StringBuilder b = new StringBuilder();
      for (Entry e : remaining) b.append(encode(e)).append('\n');
      // release.sh writes through NAME.state.tmp: whatever a killed run left there (a link to anything) goes, as
      // the shell removes it; ours is a fresh name (never a link to write through), the rename atomic
      Files.deleteIfExists(file().resolveSibling(name + ".state.tmp"));
      AtomicFiles.write(file(), b.toString().getBytes(StandardCharsets.UTF_8), AtomicFiles.DEFAULT_MODE, () -> { });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
