package io.vgapass.host;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A host capture: the files the Host model read, as a tar.gz that {@code --sysroot} replays.
 * Symlinks are kept (sysfs is made of them); device nodes become empty marker files; lines
 * that look like secrets are dropped from configuration files.
 */
public final class CaptureArchive {
  private static final int MAX_FILE = 4 * 1024 * 1024;
  private static final Pattern SECRET = Pattern.compile("(?i).*(passw|secret|token|private|_key\\s*=).*");

  private CaptureArchive() {}

  /** Reads the host under {@code root} and writes every path the model touched to {@code out}. */
  public static int capture(SysRoot root, Path out) throws IOException {
    SysRoot recording = root.recording();
    HostReader.read(recording);
    Map<String, Entry> entries = new LinkedHashMap<>();
    boolean live = root.isLive();
    for (String rel : recording.touched()) add(root.root(), rel, entries, true, live);
    Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), ".vgapass-capture", ".tmp");
    try (OutputStream fo = Files.newOutputStream(tmp);
         GZIPOutputStream gz = new GZIPOutputStream(new BufferedOutputStream(fo));
         TarArchiveOutputStream tar = new TarArchiveOutputStream(gz, StandardCharsets.UTF_8.name())) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Entry e : entries.values()) e.write(tar);
      tar.finish();
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return entries.size();
  }

  /** Unpacks a capture into {@code dir}, refusing entries that would land outside it. */
  public static void extract(Path archive, Path dir) throws IOException {
    Path base = dir.toAbsolutePath().normalize();
    try (InputStream fi = Files.newInputStream(archive);
         InputStream gz = new GZIPInputStream(new BufferedInputStream(fi));
         TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        Path target = base.resolve(e.getName()).normalize();
        if (!target.startsWith(base) || e.getName().startsWith("/")) {
          throw new IOException("entry " + e.getName() + " points outside the capture");
        }
        if (e.isDirectory()) {
          Files.createDirectories(target);
        } else if (e.isSymbolicLink()) {
          Path link = Path.of(e.getLinkName());
          if (link.isAbsolute() || !target.getParent().resolve(link).normalize().startsWith(base)) {
            throw new IOException("link " + e.getName() + " -> " + e.getLinkName() + " leaves the capture");
          }
          Files.createDirectories(target.getParent());
          Files.deleteIfExists(target);
          Files.createSymbolicLink(target, link);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  /** Adds the entries needed to replay one path: every symlink on the way, then the file itself. */
  private static void add(Path root, String rel, Map<String, Entry> entries, boolean withChildren, boolean live) {
    Path cur = Path.of("");
    Path[] parts = Path.of(rel).normalize().iterator().hasNext() ? toArray(Path.of(rel).normalize()) : new Path[0];
    for (int i = 0; i < parts.length; i++) {
      Path candidate = cur.resolve(parts[i]);
      Path abs = root.resolve(candidate);
      if (Files.isSymbolicLink(abs)) {
        Path target;
        try {
          target = Files.readSymbolicLink(abs);
        } catch (IOException e) {
          return;
        }
        Path resolved = (candidate.getParent() == null ? Path.of("") : candidate.getParent()).resolve(target).normalize();
        if (target.isAbsolute() || resolved.startsWith("..")) return; // leaves the root: not replayable
        entries.putIfAbsent(candidate.toString(), Entry.link(candidate.toString(), target.toString()));
        cur = resolved;
      } else {
        cur = candidate;
      }
    }
    Path abs = root.resolve(cur);
    String name = cur.toString();
    if (name.isEmpty()) return;
    if (Files.isDirectory(abs)) {
      entries.putIfAbsent(name, Entry.dir(name));
      if (withChildren) {
        for (String child : SysRoot.listDirect(abs)) add(root, name + "/" + child, entries, false, live);
      }
    } else if (Files.isRegularFile(abs)) {
      Entry existing = entries.get(name);
      if (existing == null || existing.content.length == 0) {
        entries.put(name, Entry.file(name, withChildren ? content(abs, name, live) : new byte[0]));
      }
    } else if (Files.exists(abs)) {
      entries.putIfAbsent(name, Entry.file(name, new byte[0])); // device node: a marker
    }
  }

  private static Path[] toArray(Path p) {
    Path[] out = new Path[p.getNameCount()];
    for (int i = 0; i < out.length; i++) out[i] = p.getName(i);
    return out;
  }

  /**
   * The bytes to store. A sysfs "rom" reads empty until "1" is written to it, so on the live host
   * (as root) it is enabled around the read; anywhere else it is a plain file and must not be
   * written to (that stored "1" as the ROM and left "0" in the tree being captured).
   */
  private static byte[] content(Path abs, String name, boolean live) {
    try {
      byte[] b = live && name.endsWith("/rom") ? RomReader.readEnabled(abs) : Files.readAllBytes(abs);
      if (b.length > MAX_FILE) return new byte[0];
      if (name.startsWith("etc/")) {
        StringBuilder kept = new StringBuilder();
        for (String line : new String(b, StandardCharsets.UTF_8).split("\n", -1)) {
          if (!SECRET.matcher(line).matches()) kept.append(line).append('\n');
        }
        return kept.toString().getBytes(StandardCharsets.UTF_8);
      }
      return b;
    } catch (IOException | RuntimeException e) {
      return new byte[0];
    }
  }

  private record Entry(String name, byte type, String link, byte[] content) {
    static Entry file(String n, byte[] c) {
      return new Entry(n, TarConstants.LF_NORMAL, null, c);
    }

    static Entry dir(String n) {
      return new Entry(n + "/", TarConstants.LF_DIR, null, new byte[0]);
    }

    static Entry link(String n, String target) {
      return new Entry(n, TarConstants.LF_SYMLINK, target, new byte[0]);
    }

    void write(TarArchiveOutputStream tar) throws IOException {
      TarArchiveEntry e = new TarArchiveEntry(name, type);
      if (link != null) e.setLinkName(link);
      if (type == TarConstants.LF_NORMAL) e.setSize(content.length);
      tar.putArchiveEntry(e);
      if (type == TarConstants.LF_NORMAL) tar.write(content);
      tar.closeArchiveEntry();
    }
  }

  /** For tests: the entry names of a capture. */
  public static List<String> names(Path archive) throws IOException {
    List<String> out = new java.util.ArrayList<>();
    try (InputStream fi = Files.newInputStream(archive);
         TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new BufferedInputStream(fi)))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) out.add(e.getName());
    }
    return out;
  }
}
