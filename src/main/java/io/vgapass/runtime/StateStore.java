package io.vgapass.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The undo log of one running VM: {@code run/vgapass/NAME.state}, one JSON line per change,
 * written and fsynced BEFORE the change is made. Release replays it backwards, so a crashed or
 * killed VM is still undone; a missing file means there is nothing to undo.
 */
public final class StateStore {
  /** One recorded change: set {@code path} back to {@code previous}, or give back {@code added} pages. */
  public record Entry(String kind, String path, String previous, long added) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final SysRoot root;
  private final String name;

  public StateStore(SysRoot root, String domain) {
    this.root = root;
    this.name = domain;
  }

  public Path file() {
    return root.resolve("run/vgapass/" + name + ".state");
  }

  public boolean exists() {
    return Files.exists(file());
  }

  /** Appends one entry durably before the caller makes the change it describes. */
  public void record(Entry e) {
    try {
      Files.createDirectories(file().getParent());
      String line = JSON.writeValueAsString(e) + "\n";
      try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND)) {
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
        try {
          out.add(JSON.readValue(line, Entry.class));
        } catch (IOException torn) {
          // the change after a torn line was never made: the entry was written first
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Rewrites the log without the entries already undone, so an interrupted release resumes. */
  public void keepOnly(List<Entry> remaining) {
    try {
      if (remaining.isEmpty()) {
        Files.deleteIfExists(file());
        return;
      }
      Path tmp = file().resolveSibling(name + ".state.tmp");
      StringBuilder b = new StringBuilder();
      for (Entry e : remaining) b.append(JSON.writeValueAsString(e)).append('\n');
      Files.writeString(tmp, b.toString(), StandardCharsets.UTF_8);
      Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
