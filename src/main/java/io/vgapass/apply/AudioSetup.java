package io.vgapass.apply;

import io.vgapass.host.Security;
import io.vgapass.host.SysRoot;
import io.vgapass.plan.AudioSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The host side of guest sound: the desktop's sound server also listens on a unix socket that QEMU (running as
 * libvirt's QEMU user, not the desktop user) can reach, and the domain's {@code <audio>} names that socket.
 *
 * <p>The listener is configured system-wide, in drop-in directories both servers read, so no file in the user's
 * home is created by root: PulseAudio 15 and later include {@code /etc/pulse/default.pa.d/*.pa}; pipewire-pulse reads
 * {@code /etc/pipewire/pipewire-pulse.conf.d/*.conf}, where arrays such as {@code server.address} are appended to.
 * Both files are written through the host journal ({@code --dry-run} shows them, {@code vgapass host undo} removes
 * them).
 */
public final class AudioSetup {
  /** The socket QEMU plays to. */
  public static final String SOCKET = "/tmp/vgapass-pulse";
  static final String PULSE_DROPIN = "etc/pulse/default.pa.d/vgapass.pa";
  static final String PIPEWIRE_DROPIN = "etc/pipewire/pipewire-pulse.conf.d/vgapass.conf";

  public enum Server { PULSEAUDIO, PIPEWIRE }

  private AudioSetup() {}

  /** PipeWire when pipewire-pulse is installed, else PulseAudio. */
  public static Server detect(SysRoot root) {
    return root.exists("usr/bin/pipewire-pulse") ? Server.PIPEWIRE : Server.PULSEAUDIO;
  }

  public static String pulseDropIn() {
    return "# written by vgapass audio setup; vgapass host undo removes it\n"
        + "# a second native-protocol socket that libvirt's QEMU user can reach (anonymous: local clients only)\n"
        + "load-module module-native-protocol-unix auth-anonymous=1 socket=" + SOCKET + "\n";
  }

  public static String pipewireDropIn() {
    return "# written by vgapass audio setup; vgapass host undo removes it\n"
        + "# pipewire-pulse appends this address to its own (unix:native): a socket libvirt's QEMU user can reach\n"
        + "pulse.properties = {\n"
        + "    server.address = [ \"unix:" + SOCKET + "\" ]\n"
        + "}\n";
  }

  /** The journaled file change for the server; empty when the file already holds it. */
  public static List<HostChange> changes(SysRoot root, Server server) throws IOException {
    String path = server == Server.PIPEWIRE ? PIPEWIRE_DROPIN : PULSE_DROPIN;
    String text = server == Server.PIPEWIRE ? pipewireDropIn() : pulseDropIn();
    byte[] next = text.getBytes(StandardCharsets.UTF_8);
    byte[] prior = root.fileOrNull(path);
    if (prior != null && Arrays.equals(prior, next)) return List.of();
    List<HostChange> out = new ArrayList<>();
    out.add(new HostChange.FileEdit(path, prior, next, "sound server socket " + SOCKET + " for QEMU"));
    return out;
  }

  /** The domain's side as the domain engine writes it ({@code audio setup --domain}). */
  public static AudioSpec domainSpec() {
    return new AudioSpec(AudioSpec.Kind.PULSEAUDIO, SOCKET, null);
  }

  /** The domain's side: the backend and the ich9 sound card that plays to it. */
  public static String domainXml() {
    return "<audio id='1' type='pulseaudio' serverName='" + SOCKET + "'/>\n"
        + "<sound model='ich9'>\n  <audio id='1'/>\n</sound>\n";
  }

  /** What the user does after the files are in place. */
  public static List<String> nextSteps(Server server, String user, boolean selinuxEnforcing) {
    List<String> s = new ArrayList<>();
    s.add(server == Server.PIPEWIRE
        ? "as " + user + ": systemctl --user restart pipewire-pulse (then " + SOCKET + " exists)"
        : "as " + user + ": pulseaudio -k (it restarts with the new socket " + SOCKET + ")");
    if (selinuxEnforcing) {
      s.add("SELinux (Fedora): QEMU (svirt_t) may not connect to the desktop's socket; start the VM once, then as "
          + "root: " + Security.SOUND_POLICY_FIX);
    }
    return s;
  }
}
