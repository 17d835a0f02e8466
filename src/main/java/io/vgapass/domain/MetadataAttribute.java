package io.vgapass.domain;

/**
 * The attributes of {@code <vgapass:vm>} that the hook acts on, named once: {@link VgapassMetadata} writes and reads
 * them by these names, and {@code hooks install} hands the same names to the shell dispatcher (prepare.sh reads them
 * without a JVM), so a rename changes both.
 */
public enum MetadataAttribute {
  GPU_HANDOVER("gpu", "handover"),
  CPU_VCPUS("cpu", "vcpus"),
  CPU_EMULATOR("cpu", "emulator"),
  CPU_IOTHREAD("cpu", "iothread"),
  CPU_IOTHREAD_PRIORITY("cpu", "iothread-priority"),
  CPU_SHIELD("cpu", "shield"),
  MEMORY_KIB("memory", "kib"),
  MEMORY_HUGEPAGE_KIB("memory", "hugepage-kib"),
  MEMORY_HUGEPAGES("memory", "hugepages"),
  MEMORY_NODE("memory", "node"),
  /** Present on a hostdev record that carries the device's identity: the hook then checks it (the drift guard). */
  HOSTDEV_IDS("hostdev", "ids");

  private final String element;
  private final String attribute;

  MetadataAttribute(String element, String attribute) {
    this.element = element;
    this.attribute = attribute;
  }

  /** The child element of {@code <vm>} (without our prefix). */
  public String element() {
    return element;
  }

  public String attribute() {
    return attribute;
  }

  /** The property path below {@code <vm>}, as {@link XmlNode#set} takes it. */
  public String path() {
    return "./vgapass:" + element + "/@" + attribute;
  }
}
