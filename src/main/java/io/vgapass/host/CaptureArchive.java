package io.vgapass.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vgapass.host.SecretParameters.Redaction;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A host capture: the files the Host model read, as a tar.gz that {@code --sysroot} replays.
 * Symlinks are kept (sysfs is made of them); device nodes become empty marker files; lines
 * that look like secrets are dropped from configuration files and the values of secret kernel
 * parameters are replaced ({@link SecretParameters}), which the manifest ({@value #MANIFEST}) lists.
 *
 * <p>Unpacking treats the archive as hostile (a capture is something strangers post): only
 * directories, regular files and symbolic links, no sparse entries, no names with {@code ..} or a
 * leading {@code /}, and at most {@link #MAX_ENTRIES} entries, {@link #MAX_FILE} bytes per
 * file and {@link #MAX_TOTAL} bytes in all. Every entry is placed with {@link InRoot}, so a link the
 * archive made earlier is followed inside the directory, never out of it.
 */
public final class CaptureArchive {
  /**
   * The largest file a capture holds (4 MiB): capture leaves a longer one empty, so no real capture has one.
   * The largest files it does hold are option ROMs and {@code /proc/cpuinfo} (see {@link InRoot#MAX_FILE}).
   */
  public static final int MAX_FILE = 4 * 1024 * 1024;
  private static final Pattern SECRET = Pattern.compile("(?i).*(passw|secret|token|private|_key\\s*=).*");

  /** What vgapass did to the captured files (redactions), at the top of the archive. */
  public static final String MANIFEST = "vgapass-capture.json";

  /**
   * The most entries a capture may hold. The VFIO lab's machine gives about 600 and a large server (hundreds
   * of PCI functions, hundreds of CPUs with their cache and topology files) some thousands.
   */
  public static final int MAX_ENTRIES = 50_000;

  /** The most bytes a capture's files may hold together; the lab machine's hold 1 MB (200 KB packed). */
  public static final long MAX_TOTAL = 64L * 1024 * 1024;

  /** How much a capture may hold: entries, bytes per file, bytes in all. */
  public record Limits(int entries, long file, long total) {
    /** What a real capture can be, with room to spare (see the constants). */
    public static final Limits CAPTURE = new Limits(MAX_ENTRIES, MAX_FILE, MAX_TOTAL);

    /** The most bytes the tar stream may unpack to: the files plus their headers (at most a few KB each). */
    long stream() {
      return total + entries * 4096L;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private CaptureArchive() {}

  /** A capture refused, with the reason in words that name its entries, never where it was being unpacked. */
  public static final class BadCapture extends IOException {
    private static final long serialVersionUID = 1L;

    public BadCapture(String message) {
      super(message);
    }
  }

  /** What a capture holds: its number of entries, and per file the secret parameters it redacted. */
  public record Written(int entries, Map<String, List<String>> redacted) {}

  /** Reads the host under {@code root} and writes every path the model touched to {@code out}. */
  public static Written capture(SysRoot root, Path out) throws IOException {
    SysRoot recording = root.recording();
    HostReader.read(recording);
    Map<String, Entry> entries = new LinkedHashMap<>();
    Map<String, List<String>> redacted = new TreeMap<>();
    boolean live = root.isLive();
    for (String rel : recording.touched()) add(root.root(), rel, entries, true, live);
    entries.replaceAll((name, e) -> {
      Redaction r = redactions(e);
      if (r == null) return e;
      redacted.put(name, r.names());
      return Entry.file(name, r.text().getBytes(StandardCharsets.ISO_8859_1));
    });
    long total = entries.values().stream().mapToLong(e -> e.content.length).sum();
    if (entries.size() >= MAX_ENTRIES || total > MAX_TOTAL) {
      throw new BadCapture("the root holds " + entries.size() + " files of " + total + " bytes, more than a capture "
          + "may (" + MAX_ENTRIES + " files, " + MAX_TOTAL + " bytes): is " + root + " a host root?");
    }
    // root's (0600, as the temporary file always made it): redacted, but still a host's files
    AtomicFiles.write(out, fo -> {
      GZIPOutputStream gz = new GZIPOutputStream(new BufferedOutputStream(fo));
      TarArchiveOutputStream tar = new TarArchiveOutputStream(gz, StandardCharsets.UTF_8.name());
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      manifest(redacted).write(tar);
      for (Entry e : entries.values()) e.write(tar);
      tar.finish();
      gz.finish();
      gz.flush();
    }, AtomicFiles.SECRET_MODE);
    return new Written(entries.size() + 1, Collections.unmodifiableMap(redacted));
  }

  /**
   * The secret kernel parameters of a file that holds command lines: {@code /proc/cmdline} itself and the
   * boot configuration ({@code /etc/default/grub}, {@code /etc/kernel/cmdline}, {@code /boot/...} entries).
   * Null when nothing is secret there.
   */
  private static Redaction redactions(Entry e) {
    if (e.content.length == 0 || new String(e.content, StandardCharsets.ISO_8859_1).indexOf('\0') >= 0) return null;
    if (!e.name.equals("proc/cmdline") && !e.name.startsWith("etc/") && !e.name.startsWith("boot/")) return null;
    // ISO-8859-1 maps every byte to one char and back: the bytes around a redaction stay as they were
    Redaction r = SecretParameters.redact(new String(e.content, StandardCharsets.ISO_8859_1));
    return r.changed() ? r : null;
  }

  private static Entry manifest(Map<String, List<String>> redacted) throws IOException {
    ObjectNode m = JSON.createObjectNode();
    m.put("format", 1);
    m.put("secrets", "values of secret kernel parameters are replaced by " + SecretParameters.REDACTED
        + "; lines of /etc files that look like passwords, tokens or keys are left out");
    ObjectNode r = m.putObject("redacted");
    redacted.forEach((file, names) -> names.forEach(r.putArray(file)::add));
    return Entry.file(MANIFEST, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m));
  }

  /** The redactions a capture's manifest lists: file to parameter names; empty when it has no manifest. */
  public static Map<String, List<String>> redacted(Path extracted) throws IOException {
    Path f = extracted.resolve(MANIFEST);
    Map<String, List<String>> out = new TreeMap<>();
    if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) return out;
    JsonNode r = JSON.readTree(InRoot.readRegular(f, MAX_FILE)).path("redacted");
    r.fieldNames().forEachRemaining(k -> {
      List<String> names = new ArrayList<>();
      r.get(k).forEach(n -> names.add(n.asText()));
      out.put(k, names);
    });
    return out;
  }

  /** Unpacks a capture into {@code dir}; a capture that breaks the rules above is refused ({@link BadCapture}). */
  public static void extract(Path archive, Path dir) throws IOException {
    extract(archive, dir, Limits.CAPTURE);
  }

  /** Unpacks a capture within {@code limits}. */
  public static void extract(Path archive, Path dir, Limits limits) throws IOException {
    Path base = dir.toAbsolutePath().normalize();
    Files.createDirectories(base);
    int count = 0;
    long total = 0;
    String at = null;
    try (InputStream fi = Files.newInputStream(archive);
         InputStream gz = new Bounded(new GZIPInputStream(new BufferedInputStream(fi)), limits.stream());
         TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        at = e.getName();
        if (++count > limits.entries()) throw new BadCapture("it holds more than " + limits.entries() + " entries");
        String name = checkedName(e.getName());
        if (e.isSparse() || e.isGNUSparse()) throw refused(e, "a sparse file");
        if (e.isDirectory()) {
          if (!name.isEmpty()) Files.createDirectories(InRoot.follow(base, name));
        } else if (e.isSymbolicLink()) {
          unpackLink(base, name, e.getLinkName());
        } else if (isRegular(e)) {
          if (e.getSize() > limits.file()) {
            throw refused(e, e.getSize() + " bytes long (a file of a capture has at most " + limits.file() + ")");
          }
          total += e.getSize();
          if (total > limits.total()) throw new BadCapture("its files hold more than " + limits.total() + " bytes");
          unpackFile(base, name, tar, limits.file());
        } else {
          throw refused(e, e.isLink() ? "a hard link" : e.isFIFO() ? "a FIFO"
              : e.isCharacterDevice() || e.isBlockDevice() ? "a device node" : "not a file, directory or symlink");
        }
      }
    } catch (BadCapture b) {
      throw b;
    } catch (EOFException e) {
      throw new BadCapture(count == 0 ? "it is empty or cut short before its first entry"
          : "it is cut short after " + count + " entries");
    } catch (ZipException e) {
      throw new BadCapture("not a gzip file (" + e.getMessage() + ")");
    } catch (IOException | RuntimeException e) {
      for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
        if (c instanceof BadCapture b) throw b; // a bound hit while the tar reader read a header
      }
      String where = at == null ? "" : " at entry " + at;
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replace(base + "/", "");
      throw new BadCapture("not a tar archive or damaged" + where + " (" + why + ")");
    }
    if (count == 0) throw new BadCapture("it holds no entries: an empty archive, not a capture");
  }

  /** The entry's name as a relative path, refusing one that starts at / or climbs out with "..". */
  private static String checkedName(String raw) throws BadCapture {
    if (raw.isEmpty() || raw.startsWith("/") || raw.indexOf('\0') >= 0) {
      throw new BadCapture("entry \"" + raw + "\" is not a relative path inside the capture");
    }
    List<String> parts = new ArrayList<>();
    for (String p : raw.split("/")) {
      if (p.equals("..")) throw new BadCapture("entry " + raw + " climbs out of the capture (..)");
      if (!p.isEmpty() && !p.equals(".")) parts.add(p);
    }
    return String.join("/", parts);
  }

  private static boolean isRegular(TarArchiveEntry e) {
    byte f = e.getLinkFlag();
    return f == TarConstants.LF_NORMAL || f == TarConstants.LF_OLDNORM;
  }

  private static BadCapture refused(TarArchiveEntry e, String what) {
    return new BadCapture("entry " + e.getName() + " is " + what
        + (what.startsWith("a ") || what.startsWith("not") ? "; a capture holds only directories, regular files and "
            + "symbolic links" : ""));
  }

  /** A link is data: it is made where its name says (inside), pointing where it says, and not followed here. */
  private static void unpackLink(Path base, String name, String target) throws IOException {
    if (name.isEmpty()) throw new BadCapture("a link entry has no name");
    Path link = Path.of(name);
    // vgapass captures only links that stay inside (capture drops the others); any other is not one of ours
    Path from = link.getParent() == null ? Path.of("") : link.getParent();
    if (target.isEmpty() || target.startsWith("/") || target.indexOf('\0') >= 0
        || from.resolve(target).normalize().startsWith("..")) {
      throw new BadCapture("link " + name + " -> " + target + " leaves the capture");
    }
    Path at = InRoot.entry(base, name);
    Files.createDirectories(at.getParent());
    replaceable(at, name);
    Files.createSymbolicLink(at, Path.of(target));
  }

  private static void unpackFile(Path base, String name, InputStream content, long max) throws IOException {
    if (name.isEmpty()) throw new BadCapture("a file entry has no name");
    Path at = InRoot.entry(base, name);
    Files.createDirectories(at.getParent());
    replaceable(at, name);
    try (OutputStream o = Files.newOutputStream(at, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS)) {
      // the header's size was checked; the copy is bounded again in case the stream says otherwise
      long n = new Bounded(content, max).transferTo(o);
      if (n > max) throw new BadCapture("entry " + name + " is longer than " + max + " bytes");
    }
  }

  /** Removes an earlier entry of the same name (a file or a link, itself, not what it points to). */
  private static void replaceable(Path at, String name) throws IOException {
    if (Files.isDirectory(at, LinkOption.NOFOLLOW_LINKS)) {
      throw new BadCapture("entry " + name + " is given twice, first as a directory");
    }
    Files.deleteIfExists(at);
  }

  /** A stream that refuses to give more than a bound: a small archive that unpacks to gigabytes stops here. */
  private static final class Bounded extends FilterInputStream {
    private final long max;
    private long seen;

    Bounded(InputStream in, long max) {
      super(in);
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) count(1);
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) count(n);
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long k = super.skip(n);
      if (k > 0) count(k);
      return k;
    }

    private void count(long n) throws BadCapture {
      seen += n;
      if (seen > max) throw new BadCapture("it unpacks to more than " + max + " bytes");
    }
  }

  /** Adds the entries needed to replay one path: every symlink on the way, then the file itself. */
  private static void add(Path root, String rel, Map<String, Entry> entries, boolean withChildren, boolean live) {
    Path cur = Path.of("");
    Path[] parts = Path.of(rel).normalize().iterator().hasNext() ? toArray(Path.of(rel).normalize()) : new Path[0];
    for (int i = 0; i < parts.length; i++) {
      Path candidate = cur.resolve(parts[i]);
      Path abs;
      try {
        abs = InRoot.entry(root, candidate.toString()); // a link met on the way is followed inside the root
      } catch (IOException e) {
        return;
      }
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
    String name = cur.toString();
    if (name.isEmpty()) return;
    Path abs;
    try {
      abs = InRoot.follow(root, name);
    } catch (IOException e) {
      return;
    }
    if (Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
      entries.putIfAbsent(name, Entry.dir(name));
      if (withChildren) {
        for (String child : SysRoot.listDirect(abs)) add(root, name + "/" + child, entries, false, live);
      }
    } else if (Files.isRegularFile(abs, LinkOption.NOFOLLOW_LINKS)) {
      Entry existing = entries.get(name);
      if (existing == null || existing.content.length == 0) {
        entries.put(name, Entry.file(name, withChildren ? content(abs, name, live) : new byte[0]));
      }
    } else if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
      entries.putIfAbsent(name, Entry.file(name, new byte[0])); // device node or FIFO: a marker, never opened
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
      byte[] b = live && name.endsWith("/rom") ? RomReader.readEnabled(abs) : InRoot.readRegular(abs, MAX_FILE);
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
    List<String> out = new ArrayList<>();
    try (InputStream fi = Files.newInputStream(archive);
         TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new BufferedInputStream(fi)))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) out.add(e.getName());
    }
    return out;
  }
}
