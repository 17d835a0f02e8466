package io.vgapass.cli;

import io.vgapass.apply.Diffs;
import io.vgapass.domain.XmlDoc;
import io.vgapass.libvirt.LibvirtPort;

/**
 * A defined domain's inactive XML being edited by a command: read (a missing domain is a one-line error before
 * anything changes), shown as a diff, validated and redefined only when it changed.
 *
 * @param before the XML as vgapass's writer prints it, so the diff shows only the edit
 */
record DomainEdit(String name, XmlDoc doc, String before) {
  static DomainEdit read(LibvirtPort port, String name, String uri) {
    if (port.domain(name).isEmpty()) {
      throw new UserError("--domain " + name + ": no such domain on " + uri + " (virsh list --all)");
    }
    XmlDoc doc = XmlDoc.parse("domain " + name, port.domainXml(name, true));
    return new DomainEdit(name, doc, doc.serialize());
  }

  boolean changed() {
    return !doc.serialize().equals(before);
  }

  /** A unified diff of the edit, or a line saying there is none. */
  String diff() {
    return changed() ? Diffs.text("domain " + name + " (inactive XML)", before, doc.serialize())
        : "domain " + name + ": its XML does not change\n";
  }

  /** Checks the edited XML against libvirt's schema (throws when invalid); a note when the schema is missing. */
  String validate() {
    String note = SchemaCheck.validate(doc);
    return note == null ? "" : "; " + note;
  }

  /** Redefines the domain with the edited XML (validated first), libvirt checking it once more. */
  void define(LibvirtPort port) {
    SchemaCheck.validate(doc);
    port.define(doc.serialize());
  }
}
