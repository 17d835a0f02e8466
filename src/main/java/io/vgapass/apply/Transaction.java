package io.vgapass.apply;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One apply as the journal holds it: its steps, their markers and its state. Only a {@link JournalReader} that
 * checked every copy against its digest makes one from disk.
 */
public final class Transaction implements JournalEntry {
  public static final String OPEN = "open";
  public static final String COMMITTED = "committed";
  public static final String ROLLING_BACK = "rolling-back";
  public static final String ROLLED_BACK = "rolled-back";
  public static final String UNDOING = "undoing";
  public static final String UNDONE = "undone";

  private final Path dir;
  private final String id;
  private final String created;
  private final Map<?, ?> request;
  private final List<Journal.Step> steps;
  private final boolean checked;

  Transaction(Path dir, String id, String created, Map<?, ?> request, List<Journal.Step> steps, boolean checked) {
    this.dir = dir;
    this.id = id;
    this.created = created;
    this.request = request;
    this.steps = steps;
    this.checked = checked;
  }

  @Override
  public String id() {
    return id;
  }

  public String created() {
    return created;
  }

  public Map<?, ?> request() {
    return request;
  }

  public List<Journal.Step> steps() {
    return steps;
  }

  public Path dir() {
    return dir;
  }

  /**
   * Its copies were checked against their digests. False for an entry written before vgapass recorded
   * digests: it is still undone (refusing would strand every host prepared by an older vgapass), with a warning.
   */
  public boolean checked() {
    return checked;
  }

  /** The state as on disk now (the reader checked it when the entry was read; this run changes it since). */
  public String state() {
    try (var in = Files.newInputStream(dir.resolve("state"), LinkOption.NOFOLLOW_LINKS)) {
      return new String(in.readNBytes(64), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return OPEN;
    }
  }

  /** Stopped half-way: an apply, roll-back or undo that did not reach its end. */
  public boolean interrupted() {
    String s = state();
    return s.equals(OPEN) || s.equals(ROLLING_BACK) || s.equals(UNDOING);
  }

  void state(String s) throws IOException {
    Journal.writeFile(dir.resolve("state"), (s + "\n").getBytes(StandardCharsets.UTF_8));
  }

  boolean has(int step, String marker) {
    return Files.exists(dir.resolve(Journal.name(step, marker)));
  }

  void mark(int step, String marker) {
    try {
      if (!has(step, marker)) Journal.writeFile(dir.resolve(Journal.name(step, marker)), new byte[0]);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the journal in " + dir, e);
    }
  }
}
