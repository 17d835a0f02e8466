package io.vgapass.runtime;

import io.vgapass.host.DisplayManager;
import io.vgapass.host.SysRoot;
import java.util.List;

/**
 * The host's service manager as single-GPU mode uses it: stop and start a system service (the display manager) and
 * a user's service (a sound server that systemd --user runs). Two kinds, systemd and sysvinit; both run their
 * commands through {@link Commands}, so fixture tests record the calls instead of making them.
 */
public interface ServiceManager {
  /** Stops a system service; returns the command's exit code. */
  default int stop(String service) {
    return commands().run(command("stop", service));
  }

  default int start(String service) {
    return commands().run(command("start", service));
  }

  /** What runs its commands (a recorder in fixture tests). */
  Commands commands();

  /** Stops a user's unit (systemd only; sysvinit has none). */
  int stopUser(String user, String unit);

  int startUser(String user, String unit);

  /** The command line it runs for {@link #stop}/{@link #start}, for the log and the failure line. */
  List<String> command(String verb, String service);

  /** The command line it runs for {@link #stopUser}/{@link #startUser}. */
  List<String> userCommand(String verb, String user, String unit);

  static ServiceManager of(SysRoot root, Commands commands) {
    return DisplayManager.systemd(root) ? new SystemdServices(root, commands) : new SysvServices(root, commands);
  }
}
