package io.vgapass.input;

import io.vgapass.domain.XmlDoc;
import io.vgapass.domain.XmlNode;
import java.util.Optional;

/** A device vgapass hot-plugs into a running guest and takes back: its XML, and how to find it in the live XML. */
public interface GuestDevice {

  /** What the user sees in messages ({@code 1-2 046d:c52b Logitech USB Receiver (keyboard)}). */
  String label();

  /** The {@code <hostdev>} (or other device) element sent to libvirt to attach it. */
  String xml();

  /** Its element in the running domain's live XML, when it is in the guest now. */
  Optional<XmlNode> findIn(XmlDoc live);
}
