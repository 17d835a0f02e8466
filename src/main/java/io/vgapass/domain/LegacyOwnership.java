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
  private static final String GRAB = "./@grab";
  private static final String GRAB_TOGGLE = "./@grabToggle";
  private static final String REPEAT = "./@repeat";
  private LegacyOwnership() {}

  static boolean matches(Ownership.Owned o, List<XmlNode> elements) {
    for (XmlNode e : elements) if (!matches(o.kind(), e)) return false;
    return !elements.isEmpty();
  }

  private static boolean matches(String kind, XmlNode e) {
    return switch (kind) {
      case DiskTuner.KIND -> is(e, "disk") && only(e, "driver", "source", "target")
          && (("file".equals(e.get(DevicePaths.TYPE)) && "disk".equals(e.get(DevicePaths.DEVICE)))
              || ("block".equals(e.get(DevicePaths.TYPE)) && "lun".equals(e.get(DevicePaths.DEVICE))))
          && "qemu".equals(e.get(DevicePaths.DRIVER_NAME)) && "none".equals(e.get(DevicePaths.DRIVER_CACHE))
          && "native".equals(e.get(DevicePaths.DRIVER_IO)) && "unmap".equals(e.get(DevicePaths.DRIVER_DISCARD))
          && "scsi".equals(e.get(DevicePaths.TARGET_BUS));
      case DiskTuner.CONTROLLER -> is(e, "controller") && "scsi".equals(e.get(DevicePaths.TYPE))
          && "virtio-scsi".equals(e.get(DevicePaths.MODEL)) && only(e, "driver", "model", "target");
      case HostdevTuner.KIND -> is(e, "hostdev") && "pci".equals(e.get(DevicePaths.TYPE)) && only(e, "source");
      case HostdevTuner.PORT -> is(e, "controller") && "pci".equals(e.get(DevicePaths.TYPE))
          && "pcie-root-port".equals(e.get(DevicePaths.MODEL)) && only(e, "model", "target");
      case NetworkTuner.KIND -> is(e, "interface") && "virtio".equals(e.get(DevicePaths.MODEL_TYPE))
          && only(e, "source", "model", "mac", "target")
          && ("network".equals(e.get(DevicePaths.TYPE)) || "bridge".equals(e.get(DevicePaths.SOURCE_MODE)));
      case InputTuner.KIND -> is(e, "input")
          ? "evdev".equals(e.get(DevicePaths.TYPE)) && only(e, "source") && evdevSource(e)
          : is(e, "hostdev") && "usb".equals(e.get(DevicePaths.TYPE)) && only(e, "source");
      case AudioTuner.KIND -> is(e, "sound") ? "ich9".equals(e.get(DevicePaths.MODEL)) && only(e, "audio")
          : is(e, "env"); // the QEMU environment of libvirt before 7.2
      case AudioTuner.BACKEND -> is(e, "audio") && Set.of("pulseaudio", "pipewire").contains(e.get(DevicePaths.TYPE));
      case LookingGlassTuner.KIND -> is(e, "shmem") ? "ivshmem-plain".equals(e.get(DevicePaths.MODEL_TYPE))
          : is(e, "arg"); // the kvmfr arguments are found by vgapass's own id
      case LookingGlassTuner.VIDEO -> is(e, "video") && only(e, "model");
      case FilesystemTuner.KIND -> is(e, "filesystem") && "virtiofs".equals(e.get(DevicePaths.DRIVER_TYPE))
          && only(e, "driver", "source", "target", "readonly");
      case FilesystemTuner.SHARED_MEMORY -> is(e, "source") ? "memfd".equals(e.get(DevicePaths.TYPE))
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
    if (source.get(GRAB) == null) return source.get(GRAB_TOGGLE) == null && source.get(REPEAT) == null;
    return "all".equals(source.get(GRAB)) && "on".equals(source.get(REPEAT))
        && source.get(GRAB_TOGGLE) != null;
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
