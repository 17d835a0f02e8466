package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.vgapass.testing.TranscribedHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/**
 * No stack trace is reachable from the command line: every verb and subverb of picocli's model (a new command is
 * picked up by itself, and fails here until it has a line in {@link #BASES}) is run in-process with junk in each of
 * its options and parameters. Junk that no command may accept (an unknown option, a missing or malformed value, a
 * control character, a path that is not there, a directory where a file belongs, a URI that reaches nothing) must
 * give exit 2 and exactly one line on stderr; junk that may happen to be valid (a plain word for a name) must give 0,
 * 1 or 2 and, when it fails, one line. Never a stack trace, never exit 3 (nothing was attempted) or 70.
 *
 * <p>Each command line starts from a base that keeps the run away from this machine: the host is a fixture root,
 * libvirt is its in-process test driver (test:///default), and whatever can write is given --dry-run.
 */
class JunkArgumentsTest {
  @TempDir static Path tmp;
  static Path root;
  static Path emptyDir;
  static Path junkFile;
  static Path domainXml;
  static Path tokenFile;
  static Path varsFile;
  static Path missing;
  static Path junkRoot;

  private static final String TEST_URI = "test:///default";

  /**
   * How each command runs on its own, safely; {@code ROOT}, {@code DOMAIN_XML}, {@code TOKEN}, {@code DIR} and
   * {@code OUT} are replaced by the fixture paths. Every runnable command of the model must be here.
   */
  static final Map<String, String> BASES = new LinkedHashMap<>();

  static {
    BASES.put("doctor", "--sysroot ROOT");
    BASES.put("host plan", "--sysroot ROOT");
    BASES.put("host apply", "--sysroot ROOT --dry-run");
    BASES.put("host undo", "--sysroot ROOT --dry-run");
    BASES.put("host status", "--sysroot ROOT");
    BASES.put("plan", "--sysroot ROOT --connect " + TEST_URI);
    BASES.put("vm tune", "--in DOMAIN_XML --sysroot ROOT --connect " + TEST_URI);
    BASES.put("vm define", "DOMAIN_XML --connect " + TEST_URI);
    BASES.put("vm start", "test --connect " + TEST_URI);
    BASES.put("vm stop", "test --connect " + TEST_URI);
    BASES.put("verify", "test --sysroot ROOT --connect " + TEST_URI);
    BASES.put("selftest", "--connect " + TEST_URI);
    BASES.put("hooks install", "--sysroot DIR --dry-run");
    BASES.put("hooks uninstall", "--sysroot DIR --dry-run");
    BASES.put("gpu status", "0000:01:00.0 --sysroot ROOT");
    BASES.put("gpu release", "0000:01:00.0 --sysroot ROOT --dry-run");
    BASES.put("gpu reclaim", "0000:01:00.0 --sysroot ROOT --dry-run");
    BASES.put("gpu recover", "0000:01:00.0 --sysroot ROOT --dry-run");
    BASES.put("capture", "--sysroot ROOT --out OUT.tar.gz");
    BASES.put("input devices", "--sysroot ROOT");
    BASES.put("input attach", "--domain test --sysroot ROOT --connect " + TEST_URI);
    BASES.put("input detach", "--domain test --sysroot ROOT --connect " + TEST_URI);
    BASES.put("input toggle", "--domain test --sysroot ROOT --connect " + TEST_URI);
    BASES.put("input evdev", "--domain test --sysroot ROOT --dry-run --connect " + TEST_URI);
    BASES.put("input serve", "--domain test --sysroot ROOT --install --dry-run --connect " + TEST_URI);
    BASES.put("guest switch-script", "--domain test --token-file TOKEN --url http://127.0.0.1:9 --connect " + TEST_URI);
    BASES.put("guest msi", "--gpu 0000:01:00.0 --sysroot ROOT");
    BASES.put("net setup", "--domain test --sysroot ROOT --connect " + TEST_URI);
    BASES.put("audio setup", "--sysroot ROOT --dry-run --connect " + TEST_URI);
    BASES.put("audio undo", "--domain test --dry-run --connect " + TEST_URI);
    BASES.put("looking-glass setup", "--sysroot ROOT --dry-run");
    BASES.put("share setup", "--domain test --path DIR --sysroot ROOT --dry-run --connect " + TEST_URI);
    BASES.put("share status", "--domain test --sysroot ROOT --connect " + TEST_URI);
    BASES.put("share remove", "--domain test --sysroot ROOT --dry-run --connect " + TEST_URI);
    BASES.put("report", "--sysroot ROOT --out OUT.html");
    BASES.put("firmware keys", "--vars VARS");
    BASES.put("firmware enroll", "--vars VARS --dry-run");
    BASES.put("generate-completion", "");
  }


  /** Options whose value is written, not read: a missing parent directory is the junk there. */
  static final Set<String> OUTPUTS = Set.of("--out", "--xml-out", "--svg-groups", "--svg-cpus");

  @BeforeAll
  static void fixtures() throws IOException {
    root = TranscribedHosts.host("asrock-z170", tmp);
    emptyDir = Files.createDirectories(tmp.resolve("empty-dir"));
    junkFile = tmp.resolve("junk.bin");
    Files.write(junkFile, new byte[] {0x1f, (byte) 0x8b, 'j', 'u', 'n', 'k', 0, 1, 2, 3});
    domainXml = tmp.resolve("domain.xml");
    Files.writeString(domainXml, "<domain type='kvm'>\n  <name>junk-test</name>\n"
        + "  <memory unit='KiB'>4194304</memory>\n  <vcpu>2</vcpu>\n"
        + "  <os>\n    <type arch='x86_64' machine='q35'>hvm</type>\n  </os>\n</domain>\n");
    tokenFile = tmp.resolve("token");
    varsFile = tmp.resolve("VARS.fd");
    Files.write(varsFile, io.vgapass.testing.OvmfVars.debian("OVMF_VARS_4M.ms.fd"));
    Files.writeString(tokenFile, "0123456789abcdef0123456789abcdef\n");
    missing = tmp.resolve("no-such-dir/no-such-file");
    junkRoot = junkRoot(TranscribedHosts.hostWith("asrock-z170", tmp));
  }

  /** A host root whose every number (ids, sizes, CPU lists, counts) is junk: read, never a crash. */
  static Path junkRoot(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String text = Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1).strip();
        if (text.matches("[0-9a-fx:,.-]+")) Files.writeString(f, "zz-\u00ff-99999999999999999999\n");
      }
    }
    return root;
  }

  /** A junk case: the command line and whether it must be refused (exit 2) or merely survived. */
  record Case(String label, List<String> args, boolean mustRefuse) {}

  /** Every command of picocli's model, by its path ("vm tune"), parents first. */
  static Map<String, CommandSpec> commands() {
    Map<String, CommandSpec> all = new LinkedHashMap<>();
    walk(VgapassCommand.build(new String[0], null), "", all);
    return all;
  }

  private static void walk(CommandLine c, String path, Map<String, CommandSpec> into) {
    into.put(path, c.getCommandSpec());
    c.getSubcommands().forEach((name, sub) -> {
      if (!sub.getCommandSpec().name().equals(name)) return; // an alias
      walk(sub, path.isEmpty() ? name : path + " " + name, into);
    });
  }

  @Test
  void everyRunnableCommandHasABase() {
    List<String> without = commands().entrySet().stream()
        .filter(e -> e.getValue().subcommands().isEmpty() && !e.getKey().isEmpty())
        .map(Map.Entry::getKey).filter(k -> !BASES.containsKey(k)).toList();
    assertThat(without).as("commands without a line in JunkArgumentsTest.BASES").isEmpty();
    assertThat(BASES.keySet()).as("lines in BASES for commands that no longer exist")
        .allMatch(k -> commands().containsKey(k));
  }

  @TestFactory
  Stream<DynamicNode> everyCommandRefusesJunkInOneLine() {
    List<DynamicNode> nodes = new ArrayList<>();
    commands().forEach((path, spec) -> {
      List<DynamicTest> tests = cases(path, spec).stream()
          .map(c -> DynamicTest.dynamicTest(c.label(), () -> check(c))).toList();
      nodes.add(DynamicContainer.dynamicContainer(path.isEmpty() ? "vgapass" : path, tests));
    });
    return nodes.stream();
  }

  static List<Case> cases(String path, CommandSpec spec) {
    List<String> verb = path.isEmpty() ? List.of() : List.of(path.split(" "));
    List<Case> out = new ArrayList<>();
    if (!spec.subcommands().isEmpty()) { // a group: only words and options of its own
      out.add(refuse("unknown option", concat(verb, List.of("--no-such-option"))));
      out.add(refuse("unknown subcommand", concat(verb, List.of("no-such-verb"))));
      out.add(refuse("control character as subcommand", concat(verb, List.of("tune\n"))));
      return out;
    }
    List<String> base = base(path);
    out.add(refuse("unknown option", concat(verb, base, List.of("--no-such-option"))));
    out.add(refuse("unknown option with a value", concat(verb, base, List.of("--no-such-option=1"))));
    if (spec.positionalParameters().isEmpty()) {
      out.add(refuse("an extra word", concat(verb, base, List.of("extra-junk"))));
    }
    for (OptionSpec o : spec.options()) {
      if (o.usageHelp() || o.versionHelp() || o.arity().max() == 0 || o.longestName().equals("--debug")) continue;
      String name = o.longestName();
      List<String> rest = without(base, o);
      if (o.arity().min() > 0) out.add(refuse(name + " without its value", concat(verb, rest, List.of(name))));
      for (Junk j : junk(o)) {
        out.add(new Case(name + " " + j.label(), concat(verb, rest, List.of(name, j.value())), j.mustRefuse()));
      }
    }
    for (CommandLine.Model.PositionalParamSpec p : spec.positionalParameters()) {
      List<String> rest = new ArrayList<>(base);
      int at = positionalIndex(base, p);
      for (Junk j : junk(p)) {
        List<String> args = new ArrayList<>(rest);
        args.set(at, j.value());
        out.add(new Case(p.paramLabel() + " " + j.label(), concat(verb, args), j.mustRefuse()));
      }
    }
    return out;
  }

  record Junk(String label, String value, boolean mustRefuse) {}

  /** The junk for one option or parameter, chosen by its type and its label. */
  static List<Junk> junk(ArgSpec a) {
    List<Junk> j = new ArrayList<>();
    j.add(new Junk("with a newline", "a\nb", true));
    j.add(new Junk("with an escape sequence", "\u001b[31mred", true));
    Class<?> t = a.type();
    String label = a.paramLabel();
    String name = a instanceof OptionSpec o ? o.longestName() : label;
    if (t == int.class || t == Integer.class || t == long.class || t == Long.class || t == double.class) {
      j.add(new Junk("not a number", "abc", true));
      j.add(new Junk("a huge number", "99999999999999999999999", true));
      j.add(new Junk("empty", "", true));
      j.add(new Junk("negative", "-1", false));
    } else if (t == Path.class) {
      j.add(new Junk("empty", "", true));
      j.add(new Junk("nonexistent", missing.toString(), true));
      if (OUTPUTS.contains(name)) {
        j.add(new Junk("a directory", emptyDir.toString(), true));
      } else if (label.contains("FILE") && !label.contains("DIR")) {
        j.add(new Junk("a directory", emptyDir.toString(), true));
        j.add(new Junk("a junk file", junkFile.toString(), false));
      } else if (label.equals("DIR")) {
        j.add(new Junk("a file", junkFile.toString(), true));
        j.add(new Junk("an empty directory", emptyDir.toString(), false));
        if (name.equals("--sysroot")) j.add(new Junk("a root of junk", junkRoot.toString(), false));
      } else { // DIR|FILE.tar.gz
        j.add(new Junk("a junk file", junkFile.toString(), true));
        j.add(new Junk("an empty directory", emptyDir.toString(), false));
        j.add(new Junk("a root of junk", junkRoot.toString(), false));
      }
    } else if (t == String.class) {
      boolean uri = label.equals("URI");
      j.add(new Junk("empty", "", uri || label.equals("ADDR") || label.equals("NAME") || label.contains("|")));
      j.add(new Junk("a word", "junk", uri || label.contains("ADDR") || label.contains("|") || label.equals("SIZE")
          || label.equals("WxH") || label.equals("CPUS") || label.equals("1G:N") || label.equals("N")));
      j.add(new Junk("very long", "x".repeat(5000), uri || label.contains("ADDR") || label.contains("|")));
      if (uri) {
        j.add(new Junk("malformed", "::not a uri", true));
        // well formed: refused by the commands that connect, unused by the others (plan without --define)
        j.add(new Junk("of no driver", "nosuchdriver:///system", false));
        j.add(new Junk("of a bad path", "qemu:///nonexistent", false));
      }
      if (label.equals("SIZE")) {
        j.add(new Junk("huge", "99999999999999999999G", true));
        j.add(new Junk("negative", "-4G", true));
        j.add(new Junk("zero", "0", true));
      }
      if (label.equals("WxH")) {
        j.add(new Junk("huge", "99999999999x99999999999", true));
        j.add(new Junk("zero", "0x0", true));
      }
      if (label.contains("ADDR")) j.add(new Junk("out of range", "0000:zz:99.9", true));
      if (label.contains("PORT")) {
        j.add(new Junk("port out of range", (label.startsWith("http") ? "http://" : "") + "127.0.0.1:99999", true));
      }
      if (label.equals("1G:N")) j.add(new Junk("huge count", "1G:99999999999999999999", true));
      if (label.equals("CPUS")) j.add(new Junk("huge CPU", "0-99999999999", true));
    } else {
      j.add(new Junk("empty", "", false));
      j.add(new Junk("a word", "junk", false));
    }
    return j;
  }

  static Case refuse(String label, List<String> args) {
    return new Case(label, args, true);
  }

  static void check(Case c) {
    CliRunner.Result r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> CliRunner.run(c.args()),
        () -> "still running after 60 s: vgapass " + String.join(" ", c.args()));
    String all = r.out() + r.err();
    assertThat(all).as("%s", r).doesNotContain("Exception").doesNotContain("at io.vgapass").doesNotContain("\tat ");
    if (c.mustRefuse()) {
      assertThat(r.code()).as("%s", r).isEqualTo(ExitCode.USAGE);
    } else {
      assertThat(r.code()).as("%s", r).isIn(ExitCode.OK, ExitCode.SHORT, ExitCode.USAGE);
    }
    if (r.code() == ExitCode.USAGE) {
      assertThat(r.err().lines().toList()).as("one line on stderr: %s", r).hasSize(1);
      assertThat(r.err()).as("%s", r).startsWith("vgapass: ");
    } else {
      assertThat(r.err().lines().toList()).as("at most one line on stderr: %s", r).hasSizeLessThanOrEqualTo(1);
    }
  }

  // ------------------------------------------------------------------ junk that needs a file of its own

  /** XML nested thousands deep: refused while parsing, before any recursive walk could overflow the stack. */
  @Test
  void deeplyNestedXmlIsRefusedInOneLine() throws IOException {
    Path deep = tmp.resolve("deep.xml");
    Files.writeString(deep, "<domain type='kvm'><name>deep</name><metadata>" + "<x>".repeat(5000)
        + "</x>".repeat(5000) + "</metadata></domain>");
    for (List<String> args : List.of(
        List.of("vm", "tune", "--in", deep.toString(), "--sysroot", root.toString()),
        List.of("vm", "define", deep.toString(), "--connect", TEST_URI))) {
      CliRunner.Result r = CliRunner.run(args);
      assertThat(r.code()).as("%s", r).isEqualTo(ExitCode.USAGE);
      assertThat(r.err().lines().toList()).as("%s", r).hasSize(1);
      assertThat(r.err()).contains(deep.toString()).contains("nested more than 256 deep");
    }
  }

  /** Nesting up to the limit stays accepted: the bound refuses junk, not deep metadata of other tools. */
  @Test
  void nestingBelowTheLimitIsTuned() throws IOException {
    Path nested = tmp.resolve("nested.xml");
    Files.writeString(nested, "<domain type='kvm'><name>nested</name><metadata>" + "<x>".repeat(200)
        + "</x>".repeat(200) + "</metadata><memory unit='KiB'>4194304</memory><vcpu>2</vcpu>"
        + "<os><type arch='x86_64' machine='q35'>hvm</type></os></domain>");
    CliRunner.Result r = CliRunner.run("vm", "tune", "--in", nested.toString(), "--sysroot", root.toString());
    assertThat(r.code()).as("%s", r).isEqualTo(ExitCode.OK);
    assertThat(r.out().split("<x[/>]", -1)).as("the 200 levels of <x>, kept").hasSize(201);
  }

  /** The switch-back service with a directory for its token file: refused before it listens. */
  @Test
  void serveWithADirectoryAsTokenFileIsRefused() {
    CliRunner.Result r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> CliRunner.run("input", "serve",
        "--domain", "test", "--connect", TEST_URI, "--sysroot", root.toString(), "--listen", "127.0.0.1:0",
        "--token-file", emptyDir.toString()));
    assertThat(r.code()).as("%s", r).isEqualTo(ExitCode.USAGE);
    assertThat(r.err().lines().toList()).as("%s", r).hasSize(1);
    assertThat(r.err()).contains("--token-file " + emptyDir).contains("a directory");
  }

  /** Jackson's messages end in a second line ("at [Source: ...]"): it comes out on the first. */
  @Test
  void aDamagedJournalEntryIsNamedInOneLine() throws IOException {
    Path host = TranscribedHosts.hostWith("asrock-z170", tmp);
    Path entry = Files.createDirectories(host.resolve("var/lib/vgapass/journal/20260101-000000-junk"));
    Files.writeString(entry.resolve("transaction.json"), "{ not json");
    Files.writeString(entry.resolve("state"), "committed\n");
    for (List<String> args : List.of(List.of("host", "status", "--sysroot", host.toString()),
        List.of("host", "undo", "--sysroot", host.toString(), "--dry-run"))) {
      CliRunner.Result r = CliRunner.run(args);
      assertThat(r.code()).as("%s", r).isIn(ExitCode.OK, ExitCode.SHORT, ExitCode.USAGE);
      assertThat(r.out() + r.err()).as("%s", r).doesNotContain("Exception").doesNotContain("\tat ");
      assertThat(r.err().lines().toList()).as("%s", r).hasSizeLessThanOrEqualTo(1);
    }
  }

  /** libvirt's hook path has no picocli: its own junk, and a domain XML nested too deep on its stdin. */
  @Test
  void theHookRefusesJunkInOneLine() {
    for (String[] args : List.of(new String[] {"hook"}, new String[] {"hook", "qemu"},
        new String[] {"hook", "--sysroot", emptyDir.toString(), "qemu", "x"})) {
      CliRunner.Result r = CliRunner.run(args);
      assertThat(r.code()).as("%s", r).isEqualTo(ExitCode.USAGE);
      assertThat(r.err().lines().toList()).as("%s", r).hasSize(1);
    }
    String deep = "<domain type='kvm'><name>deep</name><metadata><vgapass:vm xmlns:vgapass='" + XMLNS + "'>"
        + "<vgapass:cpu vcpus='1'/>" + "<x>".repeat(5000) + "</x>".repeat(5000) + "</vgapass:vm></metadata></domain>";
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int code = io.vgapass.runtime.HookMain.run(new String[] {"hook", "--sysroot", emptyDir.toString(), "qemu", "deep",
        "prepare", "begin"}, new java.io.ByteArrayInputStream(deep.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    String e = err.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(code).as(e).isEqualTo(1); // libvirt refuses the start and shows the line
    assertThat(e.lines().toList()).as(e).hasSize(1);
    assertThat(e).contains("nested more than 256 deep");
  }

  private static final String XMLNS = io.vgapass.domain.XmlDoc.VGAPASS_NS;

  // ------------------------------------------------------------------ the internal-error contract

  /** A command of its own that fails the way a bug would. */
  @CommandLine.Command(name = "boom")
  static final class Boom implements Runnable {
    @CommandLine.Option(names = "--debug") boolean debug;
    @CommandLine.Option(names = "--how") String how = "npe";

    @Override
    public void run() {
      switch (how) {
        case "npe" -> throw new NullPointerException("Cannot invoke \"String.length()\"\nbecause \"s\" is null");
        case "overflow" -> recurse(0);
        default -> throw new IllegalStateException(how);
      }
    }

    private static int recurse(int n) {
      return recurse(n + 1) + 1;
    }
  }

  static CliRunner.Result boom(String... args) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int code = CommandExecution.run(() -> new CommandLine(new Boom()), args, new Terminal(java.io.InputStream.nullInputStream(),
        new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
        new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8), false));
    return new CliRunner.Result(List.of(args), code, out.toString(java.nio.charset.StandardCharsets.UTF_8),
        err.toString(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void aBugGetsItsOwnExitCodeAndOneLinePointingAtDebug() {
    for (String how : List.of("npe", "overflow")) {
      CliRunner.Result r = boom("--how", how);
      assertThat(r.code()).as("%s", r).isEqualTo(ExitCode.INTERNAL).isNotIn(ExitCode.OK, ExitCode.SHORT, ExitCode.USAGE, ExitCode.FAILED);
      assertThat(r.err().lines().toList()).as("%s", r).hasSize(1);
      assertThat(r.err()).startsWith("vgapass: internal error (")
          .contains(how.equals("npe") ? "NullPointerException" : "StackOverflowError")
          .contains("run again with --debug").doesNotContain("\tat ");
    }
  }

  @Test
  void debugPrintsTheStackTraceAfterTheLine() {
    CliRunner.Result r = boom("--how", "npe", "--debug");
    assertThat(r.code()).isEqualTo(ExitCode.INTERNAL);
    List<String> lines = r.err().lines().toList();
    assertThat(lines.get(0)).startsWith("vgapass: internal error (NullPointerException");
    assertThat(lines).hasSizeGreaterThan(2);
    assertThat(r.err()).contains("\tat io.vgapass.cli.JunkArgumentsTest$Boom.run");
  }

  @Test
  void theHelpNamesTheInternalExitCode() {
    CliRunner.Result r = CliRunner.run("--help");
    assertThat(r.code()).isEqualTo(ExitCode.OK);
    assertThat(r.out().replaceAll("\\s+", " ")).contains("70 internal error");
  }

  // ------------------------------------------------------------------ building command lines

  static List<String> base(String path) {
    String line = BASES.get(path);
    if (line == null || line.isEmpty()) return List.of();
    List<String> out = new ArrayList<>();
    for (String w : line.split(" ")) {
      out.add(switch (w) {
        case "ROOT" -> root.toString();
        case "DOMAIN_XML" -> domainXml.toString();
        case "TOKEN" -> tokenFile.toString();
        case "VARS" -> varsFile.toString();
        case "DIR" -> emptyDir.toString();
        case "OUT.tar.gz" -> tmp.resolve("out-" + path.replace(' ', '-') + ".tar.gz").toString();
        case "OUT.html" -> tmp.resolve("out-" + path.replace(' ', '-') + ".html").toString();
        default -> w;
      });
    }
    return out;
  }

  /** The base without the option (and its value), so the junk takes its place. */
  static List<String> without(List<String> base, OptionSpec o) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < base.size(); i++) {
      String w = base.get(i);
      if (List.of(o.names()).contains(w)) {
        if (o.arity().max() > 0) i++;
        continue;
      }
      out.add(w);
    }
    return out;
  }

  /** Where the base holds the positional parameter: the first word that is neither an option nor its value. */
  static int positionalIndex(List<String> base, CommandLine.Model.PositionalParamSpec p) {
    for (int i = 0; i < base.size(); i++) {
      String w = base.get(i);
      if (w.startsWith("-")) {
        i++; // the bases give every option a value except the flags, which come last
        continue;
      }
      return i;
    }
    throw new IllegalStateException("no positional " + p.paramLabel() + " in the base " + base);
  }

  @SafeVarargs
  static List<String> concat(List<String>... parts) {
    List<String> out = new ArrayList<>();
    for (List<String> p : parts) out.addAll(p);
    return out;
  }
}
