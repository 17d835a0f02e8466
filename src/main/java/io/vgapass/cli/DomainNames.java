package io.vgapass.cli;

import io.vgapass.libvirt.LibvirtPort;
import java.util.List;

/** The one-line answer to a domain name libvirt does not know: say so, and name the ones it does. */
final class DomainNames {
  /** At most this many names are listed, so the line stays one line on any host. */
  private static final int SHOWN = 12;

  private DomainNames() {}

  /** Throws the refusal when {@code name} is not defined on {@code port}. */
  static void requireDefined(LibvirtPort port, String name, String uri) {
    if (port.domain(name).isPresent()) return;
    throw new UserError(unknown(port.domainNames(), name, uri));
  }

  static String unknown(List<String> known, String name, String uri) {
    if (known.isEmpty()) {
      return name + ": no such domain on " + uri + ", which has none defined; make one with vgapass plan --define";
    }
    List<String> sorted = known.stream().sorted().toList();
    String shown = String.join(", ", sorted.subList(0, Math.min(SHOWN, sorted.size())))
        + (sorted.size() > SHOWN ? " and " + (sorted.size() - SHOWN) + " more" : "");
    return name + ": no such domain on " + uri + "; the domains there: " + shown;
  }
}
