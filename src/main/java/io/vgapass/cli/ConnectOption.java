package io.vgapass.cli;

import io.vgapass.libvirt.LibvirtJavaPort;
import io.vgapass.libvirt.LibvirtPort;
import java.net.URI;
import java.net.URISyntaxException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** --connect URI, for every command that talks to libvirt (remote URIs work unchanged). */
public final class ConnectOption {
  @Option(names = {"-c", "--connect"}, paramLabel = "URI", defaultValue = "qemu:///system", converter = Uri.class,
      description = "libvirt connection (default: ${DEFAULT-VALUE}; e.g. qemu+ssh://host/system).")
  String uri;

  public LibvirtPort open() {
    return LibvirtJavaPort.open(uri);
  }

  /**
   * Checks the URI's form when it is given, also on commands that connect only sometimes (plan without --define): a
   * typo must not wait for the day the connection is made. Whether it reaches a libvirt is known only by connecting.
   */
  static final class Uri implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      // libvirt reads an empty URI as "the default", which is not what an empty --connect says
      if (value.isBlank()) throw new TypeConversionException("an empty URI; give one such as qemu:///system");
      URI u;
      try {
        u = new URI(value);
      } catch (URISyntaxException e) {
        throw new TypeConversionException("'" + value + "' is not a URI (" + e.getReason() + "); give one such as "
            + "qemu:///system or qemu+ssh://host/system");
      }
      if (u.getScheme() == null) {
        throw new TypeConversionException("'" + value + "' names no driver; give a URI such as qemu:///system or "
            + "qemu+ssh://host/system");
      }
      return value;
    }
  }
}
