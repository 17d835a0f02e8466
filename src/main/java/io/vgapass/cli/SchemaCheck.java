package io.vgapass.cli;

import io.vgapass.domain.SchemaValidator;
import io.vgapass.domain.XmlDoc;

/** Validates every domain before it leaves vgapass, when libvirt's schema is installed. */
final class SchemaCheck {
  private SchemaCheck() {}

  /** Returns a note when the schema is missing (the XML then goes out unvalidated); throws on invalid XML. */
  static String validate(XmlDoc doc) {
    SchemaValidator v = SchemaValidator.libvirt();
    if (!v.available()) {
      return "not validated: libvirt's schema " + v.schemaFile() + " is missing (apt install libvirt0 / dnf install "
          + "libvirt-libs)";
    }
    v.check(doc);
    return null;
  }
}
