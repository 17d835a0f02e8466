package io.vgapass.cli;

import io.vgapass.libvirt.LibvirtJavaPort;
import io.vgapass.libvirt.LibvirtPort;
import picocli.CommandLine.Option;

/** --connect URI, for every command that talks to libvirt (remote URIs work unchanged). */
public final class ConnectOption {
  @Option(names = {"-c", "--connect"}, paramLabel = "URI", defaultValue = "qemu:///system",
      description = "libvirt connection (default: ${DEFAULT-VALUE}; e.g. qemu+ssh://host/system).")
  String uri;

  public LibvirtPort open() {
    return LibvirtJavaPort.open(uri);
  }
}
