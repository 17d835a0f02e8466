package io.vgapass.domain;

import java.util.List;
import java.util.Set;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Ownership records written before digests ({@code <vgapass:owns kind key/>} alone) are honoured only for elements
 * that have the shape vgapass writes for that kind: the attributes it sets to fixed values have those values, and
 * there is nothing vgapass does not write (apart from what libvirt adds). A user's own disk named in such a record
 * (a cache mode of its own, a virtio bus, a serial) is not vgapass's, and stays.
 */
final class LegacyOwnership {
  private LegacyOwnership() {}

  static boolean matches(Ownership.Owned o, List<XmlNode> elements) {
    for (XmlNode e : elements) if (!matches(o.kind(), e)) return false;
    return !elements.isEmpty();
  }

  private static boolean matches(String kind, XmlNode e) {
    return switch (kind) {
      case DiskTuner.KIND -> is(e, "disk") && only(e, "driver", "source", "target")
          && (("file".equals(e.get("./@type")) && "disk".equals(e.get("./@device")))
              || ("block".equals(e.get("./@type")) && "lun".equals(e.get("./@device"))))
          && "qemu".equals(e.get("./driver/@name")) && "none".equals(e.get("./driver/@cache"))
          && "native".equals(e.get("./driver/@io")) && "unmap".equals(e.get("./driver/@discard"))
          && "scsi".equals(e.get("./target/@bus"));
      case DiskTuner.CONTROLLER -> is(e, "controller") && "scsi".equals(e.get("./@type"))
          && "virtio-scsi".equals(e.get("./@model")) && only(e, "driver", "model", "target");
      case HostdevTuner.KIND -> is(e, "hostdev") && "pci".equals(e.get("./@type")) && only(e, "source");
      case HostdevTuner.PORT -> is(e, "controller") && "pci".equals(e.get("./@type"))
          && "pcie-root-port".equals(e.get("./@model")) && only(e, "model", "target");
      case NetworkTuner.KIND -> is(e, "interface") && "virtio".equals(e.get("./model/@type"))
          && only(e, "source", "model", "mac", "target") && ("network".equals(e.get("./@type")) || "bridge".equals(e.get("./source/@mode")));
      case InputTuner.KIND -> is(e, "input")
          ? "evdev".equals(e.get("./@type")) && only(e, "source") && evdevSource(e)
          : is(e, "hostdev") && "usb".equals(e.get("./@type")) && only(e, "source");
      case AudioTuner.KIND -> is(e, "sound") ? "ich9".equals(e.get("./@model")) && only(e, "audio")
          : is(e, "env"); // the QEMU environment of libvirt before 7.2
      case AudioTuner.BACKEND -> is(e, "audio") && Set.of("pulseaudio", "pipewire").contains(e.get("./@type"));
      case LookingGlassTuner.KIND -> is(e, "shmem") ? "ivshmem-plain".equals(e.get("./model/@type"))
          : is(e, "arg"); // the kvmfr arguments are found by vgapass's own id
      case LookingGlassTuner.VIDEO -> is(e, "video") && only(e, "model");
      case FilesystemTuner.KIND -> is(e, "filesystem") && "virtiofs".equals(e.get("./driver/@type"))
          && only(e, "driver", "source", "target", "readonly");
      case FilesystemTuner.SHARED_MEMORY -> is(e, "source") ? "memfd".equals(e.get("./@type"))
          : is(e, "access") && "shared".equals(e.get("./@mode"));
      default -> false;
    };
  }

  /** A mouse's dev alone, or a keyboard's dev grabbed whole with a toggle and key repeat, as vgapass writes them. */
  private static boolean evdevSource(XmlNode e) {
    XmlNode source = e.find("./source");
    if (source == null) return false;
    NamedNodeMap attrs = source.element().getAttributes();
    for (int i = 0; i < attrs.getLength(); i++) {
      if (!Set.of("dev", "grab", "grabToggle", "repeat").contains(attrs.item(i).getNodeName())) return false;
    }
    if (source.get("./@grab") == null) return source.get("./@grabToggle") == null && source.get("./@repeat") == null;
    return "all".equals(source.get("./@grab")) && "on".equals(source.get("./@repeat"))
        && source.get("./@grabToggle") != null;
  }

  private static boolean is(XmlNode e, String name) {
    return name.equals(e.localName());
  }

  /** No child elements but these and what libvirt adds to every device (address, alias). */
  private static boolean only(XmlNode e, String... allowed) {
    Set<String> ok = Set.of(allowed);
    for (Node c = e.element().getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c instanceof Element child) {
        String n = child.getLocalName() != null ? child.getLocalName() : child.getNodeName();
        if (!ok.contains(n) && !n.equals("address") && !n.equals("alias")) return false;
      }
    }
    return true;
  }
}
