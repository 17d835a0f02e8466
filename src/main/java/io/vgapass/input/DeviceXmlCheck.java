package io.vgapass.input;

import io.vgapass.domain.SchemaValidator;
import io.vgapass.domain.XmlDoc;
import java.util.List;

/**
 * Checks a device element against libvirt's domain schema before it is sent: the element is placed in the smallest
 * valid domain and the whole is validated, so the schema's device rules apply as they would in a definition.
 */
public final class DeviceXmlCheck {
  private final SchemaValidator validator;

  public DeviceXmlCheck(SchemaValidator validator) {
    this.validator = validator;
  }

  public static DeviceXmlCheck libvirt() {
    return new DeviceXmlCheck(SchemaValidator.libvirt());
  }

  public boolean available() {
    return validator.available();
  }

  /** Problems with the device element (empty when valid, or when the schema is not installed). */
  public List<SchemaValidator.Problem> problems(String deviceXml) {
    if (!validator.available()) return List.of();
    XmlDoc doc = XmlDoc.parse("device", "<domain type='kvm'><name>vgapass-device-check</name>"
        + "<memory unit='KiB'>131072</memory><os><type>hvm</type></os><devices>" + deviceXml
        + "</devices></domain>");
    return validator.validate(doc);
  }

  /** Throws {@link SwitchRefused} naming the first problem when the element breaks the schema. */
  public void check(String label, String deviceXml) {
    List<SchemaValidator.Problem> p = problems(deviceXml);
    if (!p.isEmpty()) {
      throw new SwitchRefused(SwitchRefused.Reason.BAD_DEVICE, label + ": the device XML breaks libvirt's schema ("
          + p.get(0) + "); nothing was sent");
    }
  }
}
