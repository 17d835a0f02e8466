package io.vgapass.runtime;

import java.util.List;

/** systemd: {@code systemctl stop|start UNIT}, and a user's unit through {@code systemctl --user -M USER@}. */
final class SystemdServices implements ServiceManager {
  private final Commands commands;
  private final io.vgapass.host.SysRoot root;

  SystemdServices(io.vgapass.host.SysRoot root, Commands commands) {
    this.root = root;
    this.commands = commands;
  }

  @Override
  public Commands commands() {
    return commands;
  }

  @Override
  public List<String> command(String verb, String service) {
    return List.of("systemctl", verb, service);
  }

  @Override
  public int stopUser(String user, String unit) {
    return commands.run(userCommand("stop", user, withSocket(unit)));
  }

  @Override
  public int startUser(String user, String unit) {
    return commands.run(userCommand("start", user, withSocket(unit)));
  }

  /**
   * The unit with its socket unit first when the distribution ships one (pipewire.socket, pipewire-pulse.socket,
   * pulseaudio.socket): left listening, the socket would start the server again as soon as a client calls.
   */
  List<String> withSocket(String unit) {
    String socket = unit.replaceFirst("\\.service$", ".socket");
    for (String dir : List.of("usr/lib/systemd/user/", "lib/systemd/user/", "etc/systemd/user/")) {
      if (!socket.equals(unit) && root.exists(dir + socket)) return List.of(socket, unit);
    }
    return List.of(unit);
  }

  @Override
  public List<String> userCommand(String verb, String user, String unit) {
    return userCommand(verb, user, withSocket(unit));
  }

  static List<String> userCommand(String verb, String user, List<String> units) {
    List<String> c = new java.util.ArrayList<>(List.of("systemctl", "--user", "--machine=" + user + "@", verb));
    c.addAll(units);
    return c;
  }
}
