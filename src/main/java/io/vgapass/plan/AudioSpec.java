package io.vgapass.plan;

/**
 * Guest sound: an emulated ich9 HDA routed to the desktop user's sound server.
 *
 * @param socket the PulseAudio (or pipewire-pulse) socket, e.g. /run/user/1000/pulse/native
 * @param runtimeDir the user's XDG_RUNTIME_DIR, for PipeWire
 */
public record AudioSpec(Kind kind, String socket, String runtimeDir) {
  public enum Kind { PULSEAUDIO, PIPEWIRE, NONE }

  public static final AudioSpec NONE = new AudioSpec(Kind.NONE, null, null);

  /** Parses --audio; the default socket is the desktop user's (uid) runtime directory. */
  public static AudioSpec parse(String text, int uid) {
    String t = text == null ? "pulseaudio" : text.trim();
    String runtime = "/run/user/" + uid;
    if (t.equals("none")) return NONE;
    if (t.equals("pipewire")) return new AudioSpec(Kind.PIPEWIRE, runtime + "/pulse/native", runtime);
    if (t.equals("pulseaudio")) return new AudioSpec(Kind.PULSEAUDIO, runtime + "/pulse/native", runtime);
    if (t.startsWith("pulseaudio:") && t.length() > "pulseaudio:".length()) {
      String socket = t.substring("pulseaudio:".length());
      if (!socket.startsWith("/")) {
        throw new IllegalArgumentException("--audio " + text + ": the socket must be an absolute path");
      }
      return new AudioSpec(Kind.PULSEAUDIO, socket, runtime);
    }
    throw new IllegalArgumentException("--audio " + text + ": use pulseaudio[:SOCKET], pipewire or none");
  }
}
