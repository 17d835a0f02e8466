package io.vgapass.apply;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/** Runs commands as child processes on this machine (the live host, root {@code /}). */
public final class ProcessRunner implements CommandRunner {
  private static final int TAIL = 40;
  private final List<String> prefix;

  public ProcessRunner() {
    this(List.of());
  }

  /** With a prefix such as {@code chroot /srv/debian12}: every command runs inside that root. */
  public ProcessRunner(List<String> prefix) {
    this.prefix = List.copyOf(prefix);
  }

  @Override
  public Outcome run(List<String> argv, Consumer<String> lines) throws IOException {
    List<String> full = new ArrayList<>(prefix);
    full.addAll(argv);
    ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      return new Outcome(127, argv.get(0) + ": cannot run (" + e.getMessage() + ")");
    }
    Deque<String> tail = new ArrayDeque<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        lines.accept(line);
        tail.addLast(line);
        if (tail.size() > TAIL) tail.removeFirst();
      }
    }
    try {
      return new Outcome(p.waitFor(), String.join("\n", tail));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroy();
      throw new IOException("interrupted while " + argv.get(0) + " ran", e);
    }
  }

  @Override
  public boolean executes() {
    return true;
  }
}
