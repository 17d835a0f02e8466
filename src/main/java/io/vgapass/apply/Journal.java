package io.vgapass.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The record of every apply, under {@code <root>/var/lib/vgapass/journal/}: one directory per transaction,
 * written whole (as {@code ID.partial}, renamed to {@code ID}) before the first change is made. Layout:
 *
 * <pre>
 * ID/transaction.json   id, time, what was asked, the number of steps
 * ID/state              open | committed | rolling-back | rolled-back | undoing | undone
 * ID/0001.json          {"step":1,"kind":"file","path":"etc/default/grub","prior":true,"createdDirs":[],...}
 * ID/0001.prior         the file's bytes before (absent when apply creates the file)
 * ID/0001.next          the file's bytes after (absent when the step removes the file: "removes":true)
 * ID/0002.json          {"step":2,"kind":"command","argv":[...],"inverse":[...],...}
 * ID/0002.started       written (and synced) before the change is made
 * ID/0002.done          written after it succeeded
 * ID/0002.reverted      written after undo or roll-back took it back
 * </pre>
 *
 * Every file here is written atomically and synced, so the journal itself survives a crash at any point.
 */
public final class Journal {
  public static final String DIR = "var/lib/vgapass/journal";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Path dir;
  private final StepHook hook;

  public Journal(SysRoot root) {
    this(root, StepHook.NONE);
  }

  Journal(SysRoot root, StepHook hook) {
    this.dir = inRoot(root);
    this.hook = hook;
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
    tx.put("id", id);
    tx.put("created", Instant.now().toString());
    tx.set("request", JSON.valueToTree(request));
    tx.put("steps", changes.size());
    writeFile(partial.resolve("transaction.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(tx));
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
        ArrayNode dirs = e.putArray("createdDirs");
        createdDirs.get(i).forEach(dirs::add);
        if (f.prior() != null) writeFile(partial.resolve(name(n, "prior")), f.prior());
        if (f.removes()) e.put("removes", true);
        else writeFile(partial.resolve(name(n, "next")), f.next());
      } else if (c instanceof HostChange.Command cmd) {
        e.put("kind", "command");
        ArrayNode argv = e.putArray("argv");
        cmd.argv().forEach(argv::add);
        ArrayNode inv = e.putArray("inverse");
        cmd.inverse().forEach(inv::add);
        e.put("slow", cmd.slow());
      }
      writeFile(partial.resolve(name(n, "json")), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(e));
    }
    writeFile(partial.resolve("state"), "open\n".getBytes(StandardCharsets.UTF_8));
    AtomicFiles.syncDir(partial);
    hook.at("journal written");
    Path done = dir.resolve(id);
    Files.move(partial, done, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.syncDir(dir);
    return load(done);
  }

  /** All transactions, oldest first. */
  public List<Transaction> transactions() {
    if (!Files.isDirectory(dir)) return List.of();
    List<Transaction> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.sorted(Comparator.comparing(Path::toString)).toList()) {
        if (!Files.isDirectory(p) || p.getFileName().toString().endsWith(".partial")) continue;
        try {
          out.add(load(p));
        } catch (IOException | RuntimeException e) {
          throw new Refusal("the journal entry " + p + " is unreadable (" + e.getMessage()
              + "); move it aside and run again");
        }
      }
    } catch (IOException e) {
      throw new Refusal("cannot read the journal " + dir + " (" + e.getMessage() + ")");
    }
    return out;
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

  Transaction load(Path txDir) throws IOException {
    JsonNode tx = JSON.readTree(txDir.resolve("transaction.json").toFile());
    int n = tx.path("steps").asInt();
    List<Step> steps = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      JsonNode e = JSON.readTree(txDir.resolve(name(i, "json")).toFile());
      String why = e.path("why").asText();
      List<String> dirs = new ArrayList<>();
      e.path("createdDirs").forEach(d -> dirs.add(d.asText()));
      HostChange c;
      if (e.path("kind").asText().equals("file")) {
        byte[] prior = e.path("prior").asBoolean() ? Files.readAllBytes(txDir.resolve(name(i, "prior"))) : null;
        byte[] next = e.path("removes").asBoolean() ? null : Files.readAllBytes(txDir.resolve(name(i, "next")));
        c = new HostChange.FileEdit(e.path("path").asText(), prior, next, why, e.path("secret").asBoolean());
      } else {
        List<String> argv = new ArrayList<>();
        e.path("argv").forEach(a -> argv.add(a.asText()));
        List<String> inv = new ArrayList<>();
        e.path("inverse").forEach(a -> inv.add(a.asText()));
        c = new HostChange.Command(argv, inv, why, e.path("slow").asBoolean());
      }
      steps.add(new Step(i, c, List.copyOf(dirs)));
    }
    return new Transaction(txDir, tx.path("id").asText(), tx.path("created").asText(), JSON.convertValue(
        tx.path("request"), Map.class), List.copyOf(steps));
  }

  static String name(int step, String ext) {
    return String.format("%04d.%s", step, ext);
  }

  static void writeFile(Path p, byte[] bytes) throws IOException {
    AtomicFiles.write(p, bytes, PosixFilePermissions.fromString("rw-------"), () -> { });
  }

  /** The journal's directory, its links followed inside the root: the journal is never written outside it. */
  private static Path inRoot(SysRoot root) {
    try {
      return root.follow(DIR);
    } catch (IOException e) {
      return root.resolve(DIR); // the links loop: nothing can be written there, and writing says so
    }
  }
}
