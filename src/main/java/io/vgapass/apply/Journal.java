package io.vgapass.apply;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vgapass.host.AtomicFiles;
import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The record of every apply, under {@code <root>/var/lib/vgapass/journal/}: one directory per transaction,
 * written whole (as {@code ID.partial}, renamed to {@code ID}) before the first change is made. Layout:
 *
 * <pre>
 * ID/transaction.json   id, time, what was asked, the number of steps
 * ID/state              open | committed | rolling-back | rolled-back | undoing | undone
 * ID/0001.json          {"step":1,"kind":"file","path":"etc/default/grub","prior":true,"createdDirs":[],
 *                        "priorSha256":"...","nextSha256":"...",...}
 * ID/0001.prior         the file's bytes before (absent when apply creates the file)
 * ID/0001.next          the file's bytes after (absent when the step removes the file: "removes":true)
 * ID/0002.json          {"step":2,"kind":"command","argv":[...],"inverse":[...],...}
 * ID/0002.started       written (and synced) before the change is made
 * ID/0002.done          written after it succeeded
 * ID/0002.reverted      written after undo or roll-back took it back
 * </pre>
 *
 * Every file here is written atomically and synced, so the journal itself survives a crash at any point.
 * {@code transaction.json} ({@code "format":2}) holds the SHA-256 of each step's JSON, each step the SHA-256 of
 * its copies: an entry is used only when they all match ({@link JournalReader}); one that does not is a
 * {@link DamagedEntry}, and apply and undo refuse while it may be in effect. Whoever changes the host holds
 * {@link JournalLock} for the whole run.
 */
public final class Journal {
  public static final String DIR = "var/lib/vgapass/journal";
  /** 2: with digests. Entries without a format field (1) were written before them. */
  static final int FORMAT = 2;
  /** The name of an entry: what {@link #begin} gives it. Anything else in the journal (an entry set aside) is not. */
  private static final Pattern ENTRY = Pattern.compile("\\d{8}T\\d{6}Z(-\\d+)?");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Path dir;
  private final Path lockFile;
  private final StepHook hook;

  public Journal(SysRoot root) {
    this(root, StepHook.NONE);
  }

  Journal(SysRoot root, StepHook hook) {
    this.dir = inRoot(root, DIR);
    this.lockFile = inRoot(root, JournalLock.FILE);
    this.hook = hook;
  }

  /**
   * Takes the lock for a run that changes the host ({@code what}: "host apply"), or refuses at once when
   * another run holds it. Held from before the journal is read until the run's last marker; the thread that
   * holds it may take it again.
   */
  public JournalLock lock(String what) {
    return JournalLock.acquire(lockFile, what);
  }

  /** Who is changing the host now, when another run holds the lock. */
  public Optional<String> lockHolder() {
    return JournalLock.holder(lockFile);
  }

  public Path dir() {
    return dir;
  }

  /** One step as recorded. */
  public record Step(int number, HostChange change, List<String> createdDirs) {}

  /** Writes a new transaction with all its steps, state {@code open}, and returns it. */
  Transaction begin(Map<String, Object> request, List<HostChange> changes, List<List<String>> createdDirs)
      throws IOException {
    AtomicFiles.createDirs(dir);
    sweepPartials();
    String base = ID.format(Instant.now());
    String id = base;
    for (int n = 2; Files.exists(dir.resolve(id)) || Files.exists(dir.resolve(id + ".partial")); n++) {
      id = base + "-" + n;
    }
    Path partial = dir.resolve(id + ".partial");
    Files.createDirectory(partial);
    ObjectNode tx = JSON.createObjectNode();
    tx.put("format", FORMAT);
    tx.put("id", id);
    tx.put("created", Instant.now().toString());
    tx.set("request", JSON.valueToTree(request));
    tx.put("steps", changes.size());
    ArrayNode stepDigests = tx.putArray("stepSha256");
    for (int i = 0; i < changes.size(); i++) {
      int n = i + 1;
      ObjectNode e = JSON.createObjectNode();
      e.put("step", n);
      HostChange c = changes.get(i);
      e.put("why", c.why());
      if (c instanceof HostChange.FileEdit f) {
        e.put("kind", "file");
        e.put("path", f.path());
        e.put("prior", f.prior() != null);
        if (f.secret()) e.put("secret", true);
        if (f.executable()) e.put("executable", true);
        ArrayNode dirs = e.putArray("createdDirs");
        createdDirs.get(i).forEach(dirs::add);
        if (f.prior() != null) {
          writeFile(partial.resolve(name(n, "prior")), f.prior());
          e.put("priorSha256", JournalReader.sha256(f.prior()));
        }
        if (f.removes()) {
          e.put("removes", true);
        } else {
          writeFile(partial.resolve(name(n, "next")), f.next());
          e.put("nextSha256", JournalReader.sha256(f.next()));
        }
      } else if (c instanceof HostChange.Command cmd) {
        e.put("kind", "command");
        ArrayNode argv = e.putArray("argv");
        cmd.argv().forEach(argv::add);
        ArrayNode inv = e.putArray("inverse");
        cmd.inverse().forEach(inv::add);
        e.put("slow", cmd.slow());
      }
      byte[] step = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(e);
      writeFile(partial.resolve(name(n, "json")), step);
      stepDigests.add(JournalReader.sha256(step));
    }
    // last, so that an entry with a transaction.json has all its steps
    writeFile(partial.resolve("transaction.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(tx));
    writeFile(partial.resolve("state"), "open\n".getBytes(StandardCharsets.UTF_8));
    AtomicFiles.syncDir(partial);
    hook.at("journal written");
    Path done = dir.resolve(id);
    Files.move(partial, done, StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.syncDir(dir);
    JournalEntry written = read(done);
    if (written instanceof DamagedEntry d) {
      throw new IOException(d.file() + " " + d.problem() + " right after it was written");
    }
    return (Transaction) written;
  }

  /**
   * Every entry, oldest first: whole transactions and damaged entries. Names that are not an entry's (one set
   * aside as {@code ID.damaged}, a {@code .partial} being written) are passed over.
   */
  public List<JournalEntry> entries() {
    if (!Files.isDirectory(dir)) return List.of();
    List<JournalEntry> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.sorted(Comparator.comparing(Path::toString)).toList()) {
        String name = p.getFileName().toString();
        if (!ENTRY.matcher(name).matches() || !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) continue;
        out.add(read(p));
      }
    } catch (IOException e) {
      throw new Refusal("cannot read the journal /" + DIR + " (" + e.getMessage() + ")");
    }
    return out;
  }

  private JournalEntry read(Path entry) {
    return JournalReader.read(entry, "/" + DIR + "/" + entry.getFileName());
  }

  /** The whole transactions, oldest first (damaged entries left out: see {@link #damaged}). */
  public List<Transaction> transactions() {
    return entries().stream().filter(Transaction.class::isInstance).map(Transaction.class::cast).toList();
  }

  /** The entries vgapass cannot use, oldest first. */
  public List<DamagedEntry> damaged() {
    return entries().stream().filter(DamagedEntry.class::isInstance).map(DamagedEntry.class::cast).toList();
  }

  /**
   * Refuses (one line naming the file, nothing changed) while a damaged entry's changes may be on the host:
   * undoing or applying around it could restore bytes nobody can vouch for, or undo in the wrong order.
   * Half-made entries (they changed nothing) and damaged entries already taken back do not stop anything.
   */
  public void requireIntact() {
    List<DamagedEntry> bad = damaged().stream().filter(DamagedEntry::mayBeInEffect).toList();
    if (!bad.isEmpty()) throw new Refusal(bad.get(bad.size() - 1).message());
  }

  /** An apply or undo that did not finish (the process died or lost power). */
  public Optional<Transaction> interrupted() {
    return transactions().stream().filter(Transaction::interrupted).reduce((a, b) -> b);
  }

  /** The newest transaction still in effect. */
  public Optional<Transaction> latestCommitted() {
    return transactions().stream().filter(t -> t.state().equals(Transaction.COMMITTED)).reduce((a, b) -> b);
  }

  /** The command lines that transactions still in effect ran (or listed), to keep a second apply a no-op. */
  public List<List<String>> commandsInEffect() {
    List<List<String>> out = new ArrayList<>();
    for (Transaction t : transactions()) {
      if (!t.state().equals(Transaction.COMMITTED)) continue;
      for (Step s : t.steps()) if (s.change() instanceof HostChange.Command c) out.add(c.argv());
    }
    return out;
  }

  private void sweepPartials() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        if (p.getFileName().toString().endsWith(".partial")) deleteTree(p);
      }
    }
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
    }
  }

  static String name(int step, String ext) {
    return String.format("%04d.%s", step, ext);
  }

  static void writeFile(Path p, byte[] bytes) throws IOException {
    AtomicFiles.write(p, bytes, PosixFilePermissions.fromString("rw-------"), () -> { });
  }

  /** The journal's directory and lock, their links followed inside the root: never written outside it. */
  private static Path inRoot(SysRoot root, String relative) {
    try {
      return root.follow(relative);
    } catch (IOException e) {
      return root.resolve(relative); // the links loop: nothing can be written there, and writing says so
    }
  }
}
