package io.vgapass.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vgapass.host.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads one journal entry as possibly damaged or hostile input: every file is a regular file (links are not
 * followed) of bounded size, every field has the type and form {@link Journal#begin} writes, every path
 * stays inside the root, and every copy, step and the state match what the entry recorded. Whatever does not
 * becomes a {@link DamagedEntry} naming the file, so that undo never writes bytes it cannot vouch for.
 */
final class JournalReader {
  /** The journal's own JSON files are a few kilobytes. */
  static final long MAX_JSON = 1L << 20;
  /** Host files vgapass edits are configuration files; a bigger copy is not one of ours. */
  static final long MAX_COPY = 64L << 20;
  /** All files of one entry together, so that a damaged entry cannot exhaust the memory (or the time). */
  static final long MAX_ENTRY = 256L << 20;
  static final int MAX_STEPS = 10_000;
  private static final long MAX_STATE = 64;
  private static final int MAX_PATH = 4096;
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Set<String> STATES = Set.of(Transaction.OPEN, Transaction.COMMITTED, Transaction.ROLLING_BACK,
      Transaction.ROLLED_BACK, Transaction.UNDOING, Transaction.UNDONE);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Something in the entry is not as {@link Journal#begin} wrote it. */
  private static final class Damage extends Exception {
    private static final long serialVersionUID = 1L;
    final String file;

    Damage(String file, String problem) {
      super(problem, null, false, false);
      this.file = file;
    }
  }

  private final Path dir;
  private final String id;
  private final String shownDir;
  private long budget = MAX_ENTRY;

  private JournalReader(Path dir, String shownDir) {
    this.dir = dir;
    this.id = dir.getFileName().toString();
    this.shownDir = shownDir;
  }

  /** Reads the entry in {@code dir}; {@code shownDir} is how messages name it ("/var/lib/vgapass/journal/ID"). */
  static JournalEntry read(Path dir, String shownDir) {
    JournalReader r = new JournalReader(dir, shownDir);
    String state = null;
    Damage badState = null;
    try {
      state = r.state();
    } catch (Damage d) {
      badState = d;
    }
    try {
      Transaction t = r.transaction();
      return badState == null ? t : r.damaged(badState, null);
    } catch (Damage d) {
      return r.damaged(d, state);
    }
  }

  private JournalEntry damaged(Damage d, String state) {
    boolean started = anyStarted();
    String shown = shownDir + "/" + d.file;
    String aside = "mv " + shownDir + " " + shownDir + ".damaged";
    if (!started && (state == null || state.equals(Transaction.OPEN))) {
      return new DamagedEntry(id, shown, d.getMessage() + ", and none of its steps started, so it changed nothing "
          + "(a run stopped while writing it)", "vgapass passes over it; remove it (rm -r " + shownDir + ") or keep it "
          + "aside (" + aside + ")", true, state);
    }
    String fix;
    if (d.file.equals("state")) {
      fix = (allDone() ? "its markers say every step was done and none taken back, so it is most likely committed: "
          + "write that back (echo committed > " + shown + ") and run again, or, once the host files are as you "
          + "want them, set the entry aside (" + aside + ")"
          : "once the host files are as you want them, set the entry aside (" + aside + ")");
    } else {
      fix = "put the right file back, or restore the host files of this entry by hand (its NNNN.json files name "
          + "them) and set the entry aside (" + aside + ")";
    }
    return new DamagedEntry(id, shown, d.getMessage(), fix, false, state);
  }

  private String state() throws Damage {
    byte[] b = bytes("state", MAX_STATE);
    String s = new String(b, StandardCharsets.UTF_8).trim();
    if (!STATES.contains(s)) {
      throw new Damage("state", "holds \"" + Printable.of(s, 40) + "\", not one of " + String.join(", ", STATES.stream()
          .sorted().toList()));
    }
    return s;
  }

  private Transaction transaction() throws Damage {
    JsonNode tx = json("transaction.json", bytes("transaction.json", MAX_JSON));
    int format = tx.has("format") ? integer(tx, "format", "transaction.json") : 1;
    if (format != 1 && format != Journal.FORMAT) {
      throw new Damage("transaction.json", "is in format " + format + ", written by a newer vgapass; use that version "
          + "to undo it");
    }
    boolean checked = format >= 2;
    int n = integer(tx, "steps", "transaction.json");
    if (n < 1 || n > MAX_STEPS) throw new Damage("transaction.json", "records " + n + " steps (1 to " + MAX_STEPS + ")");
    JsonNode stepDigests = tx.path("stepSha256");
    if (checked && (!stepDigests.isArray() || stepDigests.size() != n)) {
      throw new Damage("transaction.json", "has no SHA-256 for each of its " + n + " steps");
    }
    String created = tx.path("created").isTextual() ? tx.path("created").asText() : "";
    JsonNode req = tx.path("request");
    if (!req.isMissingNode() && !req.isObject() && !req.isNull()) {
      throw new Damage("transaction.json", "has a request that is not an object");
    }
    Map<?, ?> request = req.isObject() ? JSON.convertValue(req, LinkedHashMap.class) : Map.of();
    List<Journal.Step> steps = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      String name = Journal.name(i, "json");
      byte[] raw = bytes(name, MAX_JSON);
      if (checked) expect(stepDigests.get(i - 1), raw, name, "the SHA-256 recorded for it in transaction.json");
      steps.add(step(i, name, json(name, raw), checked));
    }
    return new Transaction(dir, id, created, request, List.copyOf(steps), checked);
  }

  private Journal.Step step(int i, String name, JsonNode e, boolean checked) throws Damage {
    if (!e.path("step").isInt() || e.path("step").asInt() != i) throw new Damage(name, "is not step " + i);
    String why = e.path("why").isTextual() ? e.path("why").asText() : "";
    String kind = e.path("kind").asText("");
    if (kind.equals("file")) {
      String path = e.path("path").asText("");
      if (!e.path("path").isTextual() || !safe(path)) {
        throw new Damage(name, "names the host file \"" + Printable.of(path, 80) + "\", not a plain path inside the root");
      }
      boolean prior = bool(e, "prior", name, true);
      boolean removes = bool(e, "removes", name, false);
      boolean secret = bool(e, "secret", name, false);
      boolean executable = bool(e, "executable", name, false);
      if (!prior && removes) throw new Damage(name, "records neither a before nor an after for /" + path);
      List<String> dirs = new ArrayList<>();
      JsonNode ds = e.path("createdDirs");
      if (!ds.isMissingNode() && !ds.isArray()) throw new Damage(name, "has createdDirs that is not a list");
      for (JsonNode d : ds) {
        if (!d.isTextual() || !safe(d.asText()) || !path.startsWith(d.asText() + "/")) {
          throw new Damage(name, "lists \"" + Printable.of(d.asText(), 80) + "\" among the directories it created, "
              + "which is not a directory above /" + path);
        }
        dirs.add(d.asText());
      }
      byte[] before = prior ? copy(i, "prior", e, "/" + path + " from before the apply", checked) : null;
      byte[] after = removes ? null : copy(i, "next", e, "/" + path + " as vgapass wrote it", checked);
      return new Journal.Step(i, new HostChange.FileEdit(path, before, after, why, secret, executable), List.copyOf(dirs));
    }
    if (kind.equals("command")) {
      List<String> argv = strings(e, "argv", name);
      if (argv.isEmpty()) throw new Damage(name, "has an empty command line");
      List<String> inverse = strings(e, "inverse", name);
      return new Journal.Step(i, new HostChange.Command(argv, inverse, why, bool(e, "slow", name, false)), List.of());
    }
    throw new Damage(name, "is of kind \"" + Printable.of(kind, 40) + "\", neither file nor command");
  }

  /** A copy of a host file, checked against the digest its step recorded (entries from before digests: not). */
  private byte[] copy(int i, String ext, JsonNode e, String what, boolean checked) throws Damage {
    String name = Journal.name(i, ext);
    byte[] b;
    try {
      b = bytes(name, MAX_COPY);
    } catch (Damage d) {
      throw new Damage(name, "(the copy of " + what + ") " + d.getMessage());
    }
    if (checked) {
      expect(e.path(ext + "Sha256"), b, name, "the SHA-256 recorded in " + Journal.name(i, "json") + " (the copy of "
          + what + " was truncated or altered)");
    }
    return b;
  }

  private void expect(JsonNode digest, byte[] b, String name, String what) throws Damage {
    if (!digest.isTextual() || !SHA256.matcher(digest.asText()).matches()) {
      throw new Damage(name, "has no valid SHA-256 to be checked against");
    }
    if (!digest.asText().equals(sha256(b))) throw new Damage(name, "does not match " + what);
  }

  /** The bytes of a journal file: a regular file (not followed through a link) of at most {@code max} bytes. */
  private byte[] bytes(String name, long max) throws Damage {
    Path p = dir.resolve(name);
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      throw new Damage(name, "is missing");
    } catch (IOException e) {
      throw new Damage(name, "cannot be read (" + e.getMessage() + ")");
    }
    if (!a.isRegularFile()) throw new Damage(name, "is not a regular file");
    if (a.size() > max) throw new Damage(name, "is larger (" + a.size() + " bytes) than vgapass writes (" + max + ")");
    try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
      byte[] b = in.readNBytes((int) max + 1);
      if (b.length > max) throw new Damage(name, "grew beyond " + max + " bytes while it was read");
      budget -= b.length;
      if (budget < 0) throw new Damage(name, "brings the entry over " + MAX_ENTRY + " bytes, more than vgapass writes");
      return b;
    } catch (IOException e) {
      throw new Damage(name, "cannot be read (" + e.getMessage() + ")");
    }
  }

  private static JsonNode json(String name, byte[] b) throws Damage {
    try {
      JsonNode n = JSON.readTree(b);
      if (n == null || !n.isObject()) throw new Damage(name, "is not a JSON object");
      return n;
    } catch (JsonProcessingException e) {
      throw new Damage(name, "is not valid JSON (" + Printable.of(e.getOriginalMessage(), 120) + ")");
    } catch (IOException e) {
      throw new Damage(name, "cannot be parsed (" + Printable.of(e.getMessage(), 120) + ")");
    }
  }

  private static int integer(JsonNode o, String field, String name) throws Damage {
    JsonNode v = o.path(field);
    if (!v.isInt()) throw new Damage(name, "has no whole number \"" + field + "\"");
    return v.asInt();
  }

  private static boolean bool(JsonNode o, String field, String name, boolean required) throws Damage {
    JsonNode v = o.path(field);
    if (v.isMissingNode() && !required) return false;
    if (!v.isBoolean()) throw new Damage(name, "has no true/false \"" + field + "\"");
    return v.asBoolean();
  }

  private static List<String> strings(JsonNode o, String field, String name) throws Damage {
    JsonNode v = o.path(field);
    if (!v.isArray()) throw new Damage(name, "has no list \"" + field + "\"");
    List<String> out = new ArrayList<>();
    for (JsonNode s : v) {
      if (!s.isTextual()) throw new Damage(name, "has a non-text entry in \"" + field + "\"");
      out.add(s.asText());
    }
    return out;
  }

  /** A path relative to the root that stays inside it: no leading /, no . or .. or empty part, no control bytes. */
  static boolean safe(String path) {
    if (path.isEmpty() || path.length() > MAX_PATH || path.startsWith("/")) return false;
    if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) return false;
    for (String part : path.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) return false;
    }
    return true;
  }

  private boolean anyStarted() {
    try (Stream<Path> s = Files.list(dir)) {
      return s.anyMatch(p -> p.getFileName().toString().endsWith(".started"));
    } catch (IOException e) {
      return true; // cannot tell: assume it did change something
    }
  }

  private boolean allDone() {
    try (Stream<Path> s = Files.list(dir)) {
      List<String> names = s.map(p -> p.getFileName().toString()).toList();
      long started = names.stream().filter(x -> x.endsWith(".started")).count();
      long done = names.stream().filter(x -> x.endsWith(".done")).count();
      return started > 0 && started == done && names.stream().noneMatch(x -> x.endsWith(".reverted"));
    } catch (IOException e) {
      return false;
    }
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
