package io.vgapass.runtime;

import io.vgapass.host.SysRoot;
import java.util.List;

/**
 * A host without systemd: a system service is its init script, {@code /etc/init.d/NAME stop|start} (resolved under
 * the root). There are no user units; a user's sound server is stopped and started as a process instead.
 */
final class SysvServices implements ServiceManager {
  private final SysRoot root;
  private final Commands commands;

  SysvServices(SysRoot root, Commands commands) {
    this.root = root;
    this.commands = commands;
  }

  @Override
  public Commands commands() {
    return commands;
  }

  @Override
  public List<String> command(String verb, String service) {
    return List.of(root.resolve("etc/init.d/" + service).toString(), verb);
  }

  @Override
  public List<String> userCommand(String verb, String user, String unit) {
    return List.of("(no user units without systemd)", verb, unit);
  }

  @Override
  public int stopUser(String user, String unit) {
    throw new HookFailure("a user unit (" + unit + " of " + user + ") on a host without systemd: cannot stop it");
  }

  @Override
  public int startUser(String user, String unit) {
    throw new HookFailure("a user unit (" + unit + " of " + user + ") on a host without systemd: cannot start it");
  }
}
