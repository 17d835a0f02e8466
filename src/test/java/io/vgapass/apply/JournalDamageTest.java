package io.vgapass.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vgapass.cli.CliRunner;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal entry damaged after the apply (a truncated or altered copy, a missing file, a garbage state or
 * transaction.json, a half-made entry) is treated as hostile input: undo and apply refuse in one line naming
 * the file (exit 2) and change nothing, neither on the host nor in the journal; status reports it with what
 * to do; a half-made entry, which changed nothing, stops nothing.
 */
class JournalDamageTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HOST = "debian12";
  @TempDir Path tmp;

  private Path root;
  private Map<String, String> original;
  private Map<String, String> applied;
  private Path entry;

  /** debian12 applied through the CLI; {@code entry} is its journal directory. */
  private void apply() throws IOException {
    root = Trees.write(HOST, tmp);
    original = Trees.hashes(root);
    CliRunner.Result r = Trees.cli("host", "apply", "--sysroot", root.toString(), "--gpu", Trees.gpu(HOST), "--yes");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    applied = Trees.hashes(root);
    try (Stream<Path> s = Files.list(root.resolve(Journal.DIR))) {
      entry = s.filter(Files::isDirectory).findFirst().orElseThrow();
    }
  }

  /** The journal step that wrote {@code path}. */
  private int stepOf(String path) throws IOException {
    for (int n = 1; ; n++) {
      Path p = entry.resolve(Journal.name(n, "json"));
      if (!Files.exists(p)) throw new AssertionError("no step writes " + path);
      if (JSON.readTree(p.toFile()).path("path").asText().equals(path)) return n;
    }
  }

  private Path copy(String path, String ext) throws IOException {
    return entry.resolve(Journal.name(stepOf(path), ext));
  }

  private static Map<String, String> journal(Path root) {
    Map<String, String> out = new TreeMap<>();
    Path dir = root.resolve(Journal.DIR);
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        out.put(dir.relativize(p).toString(), JournalReader.sha256(Files.readAllBytes(p)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The command exits 2 with one line naming {@code file}; not a byte of the host or the journal changes. */
  private CliRunner.Result refused(String file, String problem, String... command) {
    Map<String, String> host = Trees.hashes(root);
    Map<String, String> before = journal(root);
    CliRunner.Result r = Trees.cli(command);
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
    assertThat(r.err().strip()).startsWith("vgapass: /" + Journal.DIR + "/" + entry.getFileName() + "/" + file + " ")
        .contains(problem).contains("nothing was changed").doesNotContain("\n").doesNotContain("Exception");
    assertThat(Trees.hashes(root)).isEqualTo(host);
    assertThat(journal(root)).isEqualTo(before);
    return r;
  }

  private CliRunner.Result undoRefused(String file, String problem) {
    return refused(file, problem, "host", "undo", "--sysroot", root.toString(), "--yes");
  }

  @Test
  void aTruncatedPriorCopyIsRefusedNotWrittenAsAnEmptyGrubFile() throws IOException {
    apply();
    Path prior = copy("etc/default/grub", "prior");
    Files.write(prior, new byte[0]);
    undoRefused(prior.getFileName().toString(), "does not match the SHA-256 recorded in");
    assertThat(Trees.read(root, "etc/default/grub")).contains("iommu=pt");
    // --force overrides a file edited since the apply, never a damaged copy
    refused(prior.getFileName().toString(), "truncated or altered", "host", "undo", "--sysroot", root.toString(),
        "--yes", "--force");
  }

  @Test
  void aPriorCopyCutShortByOneByteIsRefused() throws IOException {
    apply();
    Path prior = copy("etc/default/grub", "prior");
    byte[] b = Files.readAllBytes(prior);
    Files.write(prior, java.util.Arrays.copyOf(b, b.length - 1));
    undoRefused(prior.getFileName().toString(), "/etc/default/grub from before the apply was truncated or altered");
  }

  @Test
  void anAlteredNextCopyIsRefused() throws IOException {
    apply();
    Path next = copy("etc/modprobe.d/vgapass-vfio.conf", "next");
    Files.writeString(next, "install vfio-pci /bin/sh -c 'echo owned'\n", StandardCharsets.UTF_8);
    undoRefused(next.getFileName().toString(), "as vgapass wrote it was truncated or altered");
  }

  @Test
  void aMissingCopyIsRefused() throws IOException {
    apply();
    Path prior = copy("etc/default/grub", "prior");
    Files.delete(prior);
    undoRefused(prior.getFileName().toString(), "is missing");
  }

  @Test
  void aCopyReplacedByALinkOrAGiantFileIsRefusedWithoutReadingIt() throws IOException {
    apply();
    Path prior = copy("etc/default/grub", "prior");
    Files.delete(prior);
    Files.createSymbolicLink(prior, Path.of("/dev/zero"));
    undoRefused(prior.getFileName().toString(), "is not a regular file");
    Files.delete(prior);
    try (RandomAccessFile f = new RandomAccessFile(prior.toFile(), "rw")) {
      f.setLength(JournalReader.MAX_COPY + 1); // sparse: no disk, but more than vgapass would ever hold
    }
    undoRefused(prior.getFileName().toString(), "is larger");
  }

  @Test
  void aDamagedTransactionJsonIsRefused() throws IOException {
    apply();
    Path tx = entry.resolve("transaction.json");
    byte[] b = Files.readAllBytes(tx);
    Files.write(tx, java.util.Arrays.copyOf(b, b.length / 2));
    undoRefused("transaction.json", "is not valid JSON");
    Files.writeString(tx, "{\"format\":2,\"steps\":2147483647}");
    undoRefused("transaction.json", "records 2147483647 steps");
    Files.writeString(tx, "[]");
    undoRefused("transaction.json", "is not a JSON object");
  }

  @Test
  void aStepWhosePathWasChangedIsRefused() throws IOException {
    apply();
    int n = stepOf("etc/default/grub");
    Path step = entry.resolve(Journal.name(n, "json"));
    ObjectNode e = (ObjectNode) JSON.readTree(step.toFile());
    e.put("path", "../../outside");
    Files.write(step, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(e));
    undoRefused(step.getFileName().toString(), "does not match the SHA-256 recorded for it in transaction.json");
  }

  @Test
  void aGarbageStateFileIsRefusedNotTakenForNothingToUndo() throws IOException {
    apply();
    Files.writeString(entry.resolve("state"), "comitted\n");
    CliRunner.Result r = undoRefused("state", "holds \"comitted\", not one of");
    assertThat(r.err()).contains("most likely committed").contains("echo committed > ");
    Files.writeString(entry.resolve("state"), "");
    undoRefused("state", "holds \"\"");
    Files.delete(entry.resolve("state"));
    undoRefused("state", "is missing");
    // a second apply cannot be stacked on it either
    refused("state", "is missing", "host", "apply", "--sysroot", root.toString(), "--gpu", Trees.gpu(HOST), "--yes",
        "--static-isolation", "2-3");
    // status reports it, with the way out, and exits 0
    CliRunner.Result s = Trees.cli("host", "status", "--sysroot", root.toString());
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(s.out()).contains(entry.getFileName() + "  damaged: /" + Journal.DIR + "/" + entry.getFileName()
        + "/state is missing").contains("what to do: its markers say every step was done");
    // the way out the message gives works
    Files.writeString(entry.resolve("state"), "committed\n");
    CliRunner.Result u = Trees.cli("host", "undo", "--sysroot", root.toString(), "--yes");
    assertThat(u.code()).as(u.out() + u.err()).isZero();
    assertThat(Trees.hashes(root)).isEqualTo(original);
  }

  @Test
  void theStatusJsonNamesTheDamagedFileAndTheFix() throws IOException {
    apply();
    Path prior = copy("etc/default/grub", "prior");
    Files.writeString(prior, "GRUB_CMDLINE_LINUX_DEFAULT=\"\"\n");
    CliRunner.Result s = Trees.cli("host", "status", "--sysroot", root.toString(), "--json");
    assertThat(s.code()).as(s.err()).isZero();
    JsonNode j = JSON.readTree(s.out()).path("journal").get(0);
    assertThat(j.path("state").asText()).isEqualTo("damaged");
    assertThat(j.path("problem").asText()).startsWith("/" + Journal.DIR + "/" + entry.getFileName() + "/"
        + prior.getFileName() + " does not match");
    assertThat(j.path("fix").asText()).contains("mv /" + Journal.DIR + "/" + entry.getFileName());
  }

  @Test
  void aGarbledRequestCostsStatusOnlyItsDeviceLines() throws IOException {
    apply();
    Path tx = entry.resolve("transaction.json");
    ObjectNode t = (ObjectNode) JSON.readTree(tx.toFile());
    ((ObjectNode) t.path("request")).putArray("functions").add("not-an-address").add(Trees.gpu(HOST));
    Files.write(tx, JSON.writeValueAsBytes(t));
    CliRunner.Result s = Trees.cli("host", "status", "--sysroot", root.toString());
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(s.out()).contains(Trees.gpu(HOST)).doesNotContain("not-an-address");
  }

  @Test
  void theWayOutOfADamagedEntryIsToSetItAside() throws IOException {
    apply();
    Files.write(copy("etc/default/grub", "prior"), new byte[0]);
    undoRefused(copy("etc/default/grub", "prior").getFileName().toString(), "does not match");
    Path aside = entry.resolveSibling(entry.getFileName() + ".damaged");
    Files.move(entry, aside);
    CliRunner.Result u = Trees.cli("host", "undo", "--sysroot", root.toString(), "--yes");
    assertThat(u.code()).as(u.err()).isZero();
    assertThat(u.out()).contains("nothing to undo");
    assertThat(Trees.hashes(root)).isEqualTo(applied);
    assertThat(aside).isDirectory(); // nothing is lost
  }

  @Test
  void aDamagedEntryAlreadyTakenBackStopsNothing() throws IOException {
    apply();
    assertThat(Trees.cli("host", "undo", "--sysroot", root.toString(), "--yes").code()).isZero();
    Files.write(copy("etc/default/grub", "next"), new byte[0]);
    CliRunner.Result a = Trees.cli("host", "apply", "--sysroot", root.toString(), "--gpu", Trees.gpu(HOST), "--yes");
    assertThat(a.code()).as(a.out() + a.err()).isZero();
    assertThat(Trees.hashes(root)).isEqualTo(applied);
    CliRunner.Result u = Trees.cli("host", "undo", "--sysroot", root.toString(), "--yes");
    assertThat(u.code()).as(u.out() + u.err()).isZero();
    assertThat(Trees.hashes(root)).isEqualTo(original);
  }

  @Test
  void aHalfMadeEntryIsReportedAndStopsNothing() throws IOException {
    root = Trees.write(HOST, tmp);
    original = Trees.hashes(root);
    // what two applies in the same second used to leave: an entry without transaction.json, no step started
    Path half = root.resolve(Journal.DIR).resolve("20260101T000000Z");
    Files.createDirectories(half);
    Files.writeString(half.resolve("0001.json"), "{\"step\":1,\"kind\":\"file\",\"path\":\"etc/default/grub\"}");
    Files.writeString(half.resolve("0001.prior"), "x");
    CliRunner.Result s = Trees.cli("host", "status", "--sysroot", root.toString());
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(s.out()).contains("20260101T000000Z  half-made: /" + Journal.DIR + "/20260101T000000Z/transaction.json "
        + "is missing, and none of its steps started, so it changed nothing")
        .contains("what to do: vgapass passes over it; remove it (rm -r /" + Journal.DIR + "/20260101T000000Z)");
    CliRunner.Result a = Trees.cli("host", "apply", "--sysroot", root.toString(), "--gpu", Trees.gpu(HOST), "--yes");
    assertThat(a.code()).as(a.out() + a.err()).isZero();
    assertThat(a.out()).contains("note: passing over the half-made journal entry 20260101T000000Z");
    CliRunner.Result u = Trees.cli("host", "undo", "--sysroot", root.toString(), "--yes");
    assertThat(u.code()).as(u.out() + u.err()).isZero();
    assertThat(Trees.hashes(root)).isEqualTo(original);
    assertThat(half.resolve("0001.prior")).hasContent("x"); // left as it was
  }

  @Test
  void anEntryWithoutItsStateButNeverStartedIsHalfMadeToo() throws IOException {
    apply();
    assertThat(Trees.cli("host", "undo", "--sysroot", root.toString(), "--yes").code()).isZero();
    // a copy of the entry as begin() left it before the rename: no state, no markers
    Path half = entry.resolveSibling("20260101T000000Z");
    Files.createDirectories(half);
    try (Stream<Path> s = Files.list(entry)) {
      for (Path p : s.toList()) {
        String n = p.getFileName().toString();
        if (n.endsWith(".json") || n.endsWith(".prior") || n.endsWith(".next")) Files.copy(p, half.resolve(n));
      }
    }
    CliRunner.Result a = Trees.cli("host", "apply", "--sysroot", root.toString(), "--gpu", Trees.gpu(HOST), "--yes");
    assertThat(a.code()).as(a.out() + a.err()).isZero();
    assertThat(a.out()).contains("half-made journal entry 20260101T000000Z: /" + Journal.DIR
        + "/20260101T000000Z/state is missing");
    assertThat(Trees.hashes(root)).isEqualTo(applied);
  }

  @Test
  void anEntryWrittenBeforeDigestsIsUndoneWithAWarning() throws IOException {
    apply();
    stripDigests(entry);
    CliRunner.Result s = Trees.cli("host", "status", "--sysroot", root.toString());
    assertThat(s.out()).contains("committed").contains("written before digests: its copies cannot be checked");
    CliRunner.Result u = Trees.cli("host", "undo", "--sysroot", root.toString(), "--yes");
    assertThat(u.code()).as(u.out() + u.err()).isZero();
    assertThat(u.out()).contains("recorded no digests, so its saved copies cannot be checked");
    assertThat(Trees.hashes(root)).isEqualTo(original);
  }

  @Test
  void anEntryWrittenBeforeDigestsIsStillReadAsHostileInput() throws IOException {
    apply();
    stripDigests(entry);
    Path outside = tmp.resolve("outside");
    Files.writeString(outside, "keep\n");
    int n = stepOf("etc/default/grub");
    Path step = entry.resolve(Journal.name(n, "json"));
    ObjectNode e = (ObjectNode) JSON.readTree(step.toFile());
    e.put("path", "../outside");
    Files.write(step, JSON.writeValueAsBytes(e));
    undoRefused(step.getFileName().toString(), "names the host file \"../outside\", not a plain path inside the root");
    assertThat(outside).hasContent("keep");
  }

  @Test
  void undoRefusesAFileRemovedSinceTheApply() throws IOException {
    apply();
    Files.delete(root.resolve("etc/default/grub"));
    CliRunner.Result r = Trees.cli("host", "undo", "--sysroot", root.toString(), "--yes");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("/etc/default/grub was changed after vgapass wrote it").contains("--force");
    assertThat(root.resolve("etc/default/grub")).doesNotExist();
  }

  @Test
  void onlyPlainPathsInsideTheRootAreTakenFromAJournal() {
    assertThat(JournalReader.safe("etc/default/grub")).isTrue();
    for (String bad : new String[] {"", "/etc/passwd", "../x", "etc/../../x", "etc//grub", "etc/./grub", "etc/\ngrub"}) {
      assertThat(JournalReader.safe(bad)).as(bad).isFalse();
    }
  }

  /** Makes {@code entry} look as a vgapass from before digests wrote it (format 1). */
  private static void stripDigests(Path entry) throws IOException {
    Path tx = entry.resolve("transaction.json");
    ObjectNode t = (ObjectNode) JSON.readTree(tx.toFile());
    t.remove("format");
    t.remove("stepSha256");
    Files.write(tx, JSON.writeValueAsBytes(t));
    for (int n = 1; n <= t.path("steps").asInt(); n++) {
      Path step = entry.resolve(Journal.name(n, "json"));
      ObjectNode e = (ObjectNode) JSON.readTree(step.toFile());
      e.remove("priorSha256");
      e.remove("nextSha256");
      Files.write(step, JSON.writeValueAsBytes(e));
    }
  }
}
