package io.vgapass.cli;

import io.vgapass.domain.XmlDoc;
import java.util.Locale;

/** What an existing domain already says, used as defaults when tuning it. */
final class DomainFacts {
  private DomainFacts() {}

  static Integer vcpus(XmlDoc doc) {
    String v = doc.get("./vcpu");
    try {
      return v == null ? null : Integer.valueOf(v.trim());
    } catch (NumberFormatException e) {
      throw new UserError(doc.name() + ": <vcpu> is '" + v + "', not a number; fix it or pass --vcpus");
    }
  }

  /** The domain's memory in KiB, from any of libvirt's units. */
  static Long memoryKiB(XmlDoc doc) {
    String v = doc.get("./memory");
    if (v == null) return null;
    String unit = doc.get("./memory/@unit");
    try {
      double n = Double.parseDouble(v.trim());
      double bytes = n * switch (unit == null ? "kib" : unit.toLowerCase(Locale.ROOT)) {
        case "b", "bytes" -> 1;
        case "kb" -> 1000;
        case "k", "kib" -> 1024;
        case "mb" -> 1e6;
        case "m", "mib" -> 1024.0 * 1024;
        case "gb" -> 1e9;
        case "g", "gib" -> 1024.0 * 1024 * 1024;
        case "tb" -> 1e12;
        case "t", "tib" -> 1024.0 * 1024 * 1024 * 1024;
        default -> throw new UserError(doc.name() + ": unknown memory unit '" + unit + "'");
      };
      return (long) (bytes / 1024);
    } catch (NumberFormatException e) {
      throw new UserError(doc.name() + ": <memory> is '" + v + "', not a number; fix it or pass --memory");
    }
  }
}
