package io.vgapass.runtime;

import java.util.List;

/** systemd: {@code systemctl stop|start UNIT}, and a user's unit through {@code systemctl --user -M USER@}. */
final class SystemdServices implements ServiceManager {
  private final Commands commands;

  SystemdServices(Commands commands) {
    this.commands = commands;
  }

  @Override
  public int stop(String service) {
    return commands.run(command("stop", service));
  }

  @Override
  public int start(String service) {
    return commands.run(command("start", service));
  }

  @Override
  public List<String> command(String verb, String service) {
    return List.of("systemctl", verb, service);
  }

  @Override
  public int stopUser(String user, String unit) {
    return commands.run(userCommand("stop", user, unit));
  }

  @Override
  public int startUser(String user, String unit) {
    return commands.run(userCommand("start", user, unit));
  }

  static List<String> userCommand(String verb, String user, String unit) {
    return List.of("systemctl", "--user", "--machine=" + user + "@", verb, unit);
  }
}
