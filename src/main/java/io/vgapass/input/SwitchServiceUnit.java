package io.vgapass.input;

import io.vgapass.apply.HostChange;
import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The systemd unit that runs {@code input serve} for one domain unattended, as a journaled host change: values
 * escaped by {@link SystemdUnit}, the file named per domain so two domains never share a unit.
 *
 * @param argv the service's command line, from the java binary on
 */
public record SwitchServiceUnit(String domain, List<String> argv) {
  public SwitchServiceUnit {
    argv = List.copyOf(argv);
  }

  /** The unit file, relative to the root. */
  public String path() {
    return "etc/systemd/system/vgapass-input-serve-" + SystemdUnit.namePart(domain) + ".service";
  }

  /** The file name alone, as systemctl takes it. */
  public String name() {
    return path().substring(path().lastIndexOf('/') + 1);
  }

  /** The unit's text; throws IllegalArgumentException for a domain {@link SystemdUnit#textProblem} refuses. */
  public String text() {
    return "# written by vgapass input serve --install; vgapass host undo removes it\n"
        + "[Unit]\nDescription=vgapass switch-back service for " + SystemdUnit.text(domain) + "\n"
        + "After=libvirtd.service network-online.target\nWants=libvirtd.service\n\n"
        + "[Service]\nExecStart=" + SystemdUnit.commandLine(argv) + "\nRestart=on-failure\nRestartSec=5\n\n"
        + "[Install]\nWantedBy=multi-user.target\n";
  }

  /** The change that writes the unit, with the file now under the root (if any) as its prior copy. */
  public HostChange.FileEdit edit(SysRoot root) throws IOException {
    return new HostChange.FileEdit(path(), root.fileOrNull(path()), text().getBytes(StandardCharsets.UTF_8),
        "systemd unit for vgapass input serve --domain " + domain);
  }
}
