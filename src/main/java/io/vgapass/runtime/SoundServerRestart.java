package io.vgapass.runtime;

import io.vgapass.host.SoundServer;
import io.vgapass.host.SysRoot;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * How a sound server that no systemd user unit runs is started again: from the command line, working directory
 * and XDG_RUNTIME_DIR recorded in the state file when it was stopped, as the same user ({@code runuser}), in a
 * session of its own ({@code setsid -f}). The state file is read as hostile: the user must be a regular user of this
 * host (never root) and the command one of the sound servers vgapass knows.
 */
final class SoundServerRestart {
  private SoundServerRestart() {}

  /** The state entry's "previous" field: cwd, runtime dir and the arguments, each percent-encoded, blank-separated. */
  static String encode(SoundServer s) {
    List<String> f = new ArrayList<>();
    f.add(s.cwd() == null ? "-" : enc(s.cwd()));
    f.add(s.runtimeDir() == null ? "-" : enc(s.runtimeDir()));
    s.cmdline().forEach(a -> f.add(enc(a)));
    return String.join(" ", f);
  }

  /** The command that starts it again, or a HookFailure naming why the record is refused. */
  static List<String> command(SysRoot root, String user, String previous) {
    Integer uid = SoundServer.users(root).entrySet().stream().filter(e -> e.getValue().equals(user))
        .map(java.util.Map.Entry::getKey).findFirst().orElse(null);
    if (uid == null || uid < 1000) {
      throw new HookFailure("refused to start a sound server as '" + user + "': not a regular user (uid 1000 and up) "
          + "of this host");
    }
    String[] f = previous.split(" ", -1);
    if (f.length < 3) throw new HookFailure("refused to start " + user + "'s sound server: the record has no command");
    List<String> args = new ArrayList<>();
    for (int i = 2; i < f.length; i++) args.add(dec(f[i]));
    boolean known = args.stream().limit(2).map(a -> a.substring(a.lastIndexOf('/') + 1))
        .anyMatch(SoundServer.NAMES::contains);
    if (!known) {
      throw new HookFailure("refused to start '" + String.join(" ", args) + "' as " + user + ": not a sound server "
          + "vgapass knows (" + String.join(", ", SoundServer.NAMES) + ")");
    }
    List<String> cmd = new ArrayList<>(List.of("runuser", "-u", user, "--", "env", "-C",
        f[0].equals("-") ? "/" : dec(f[0])));
    if (!f[1].equals("-")) cmd.add("XDG_RUNTIME_DIR=" + dec(f[1]));
    cmd.addAll(List.of("setsid", "-f"));
    cmd.addAll(args);
    return cmd;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String dec(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new HookFailure("refused a sound server record that vgapass did not write (" + e.getMessage() + ")");
    }
  }
}
