package io.vgapass.input;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --back-after}: a detached helper process that gives the devices back after a delay. It is started before
 * anything is attached, in a session of its own ({@code setsid}), so neither Ctrl-C on vgapass (SIGINT goes to the
 * terminal's process group), nor closing the terminal (SIGHUP), nor vgapass exiting stops it. It sleeps in
 * {@code sleep(1)} and starts Java only when the time is up, then runs {@code vgapass input detach} for exactly the
 * devices given. {@code kill PID} cancels it. There is no systemd on every host vgapass runs on, so no timer unit.
 */
public final class BackAfter {
  private BackAfter() {}

  /** The helper's command line: a shell that sleeps, then becomes {@code java ... Main input detach ...}. */
  public static List<String> command(int seconds, List<String> detachArgs) {
    List<String> argv = new ArrayList<>(List.of("setsid", "sh", "-c", "sleep \"$1\"; shift; exec \"$@\"",
        "vgapass-back-after", Integer.toString(seconds), javaBinary(), "-cp", System.getProperty("java.class.path"),
        "io.vgapass.cli.Main"));
    argv.addAll(detachArgs);
    return argv;
  }

  /** Starts the helper, its output appended to {@code log}; returns its pid. */
  public static long start(int seconds, List<String> detachArgs, Path log) throws IOException {
    if (seconds < 1) throw new IllegalArgumentException("--back-after " + seconds + ": give at least 1 second");
    Files.createDirectories(log.toAbsolutePath().getParent());
    ProcessBuilder pb = new ProcessBuilder(command(seconds, detachArgs));
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.redirectErrorStream(true);
    Process p = pb.start();
    return p.pid();
  }

  /** The command that starts this vgapass again: the same Java and class path. */
  public static List<String> javaCommand() {
    return List.of(javaBinary(), "-cp", System.getProperty("java.class.path"), "io.vgapass.cli.Main");
  }

  static String javaBinary() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
