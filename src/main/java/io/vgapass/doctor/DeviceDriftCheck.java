package io.vgapass.doctor;

import io.vgapass.host.DeviceDrift;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The domains whose passed devices are no longer at the recorded addresses (renumbered buses, a moved or added card):
 * the hook refuses to start them, so doctor says so before the user tries. The domains and their drift are read by
 * the caller (libvirt's definitions are not part of the Host model).
 */
public final class DeviceDriftCheck implements Check {
  public static final String ID = "domain.device-drift";

  /** Each domain with recorded devices, and its drift (empty: every device is where it was recorded). */
  private final Map<String, List<DeviceDrift>> domains;

  public DeviceDriftCheck(Map<String, List<DeviceDrift>> domains) {
    this.domains = Map.copyOf(domains);
  }

  @Override
  public List<Finding> check(HostView host) {
    List<Finding> out = new ArrayList<>();
    List<String> fine = new ArrayList<>();
    domains.keySet().stream().sorted().forEach(name -> {
      List<DeviceDrift> drift = domains.get(name);
      if (drift.isEmpty()) {
        fine.add(name);
        return;
      }
      out.add(new Finding(ID, Severity.WARNING, name + ": its passed devices are not where the domain names them; "
          + "the vgapass hook refuses to start it", drift.stream().map(DeviceDrift::describe).reduce((a, b) -> a
          + "; " + b).orElse(""), DeviceDrift.fix(name, drift)));
    });
    if (out.isEmpty() && !fine.isEmpty()) {
      out.add(Finding.ok(ID, "the passed devices of " + String.join(", ", fine) + " are where they were recorded",
          "etc/libvirt/qemu/*.xml vgapass hostdev records against sys/bus/pci/devices"));
    }
    return out;
  }
}
