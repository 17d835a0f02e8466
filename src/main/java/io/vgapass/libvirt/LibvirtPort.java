package io.vgapass.libvirt;

import java.util.List;
import java.util.Optional;

/**
 * Everything vgapass asks of libvirt, and nothing more. Domains and networks are named by their libvirt name.
 * Every method throws {@link LibvirtFailure} when libvirt refuses; a missing domain or network is a failure
 * ({@link LibvirtFailure#isNotFound()}) except where the result is an {@link Optional}.
 *
 * <p>An instance holds one open connection and is meant for one thread; close it when done.
 */
public interface LibvirtPort extends AutoCloseable {

  /** The connection URI, e.g. {@code qemu:///system}. */
  String uri();

  /** The libvirt version of the daemon (or of the library for local drivers), e.g. {@code 9.0.0}. */
  String libvirtVersion();

  /** The hypervisor's version as libvirt reports it, e.g. {@code 7.2.22} for QEMU 7.2. */
  String hypervisorVersion();

  /** Names of all domains, running and defined-but-inactive, sorted. */
  List<String> domainNames();

  /** The domain's state, or empty when there is no domain of that name. */
  Optional<DomainInfo> domain(String name);

  /**
   * The domain's XML. {@code inactive = true} gives the persistent definition (VIR_DOMAIN_XML_INACTIVE), the one
   * that {@code define} replaces and that vgapass tunes; {@code false} gives the live XML while it runs.
   */
  String domainXml(String name, boolean inactive);

  /** The running domain's live XML (with aliases, addresses and live-attached devices). */
  default String liveXml(String name) {
    return domainXml(name, false);
  }

  /** Defines (or redefines) a persistent domain from its XML and returns its name. */
  String define(String xml);

  /**
   * Removes the persistent definition, together with its UEFI NVRAM file, managed-save image and snapshot
   * metadata. A running domain keeps running as a transient one until it stops.
   */
  void undefine(String name);

  /** Starts a defined domain. */
  void start(String name);

  /** Asks the guest to shut down (ACPI power button); returns at once, the guest may take its time or ignore it. */
  void shutdown(String name);

  /** Stops the domain at once, like pulling the plug. */
  void destroy(String name);

  /**
   * Attaches a device to the running domain only (VIR_DOMAIN_AFFECT_LIVE); the persistent definition is left
   * untouched, so the device is gone after the next stop.
   */
  void attachDeviceLive(String name, String deviceXml);

  /**
   * Detaches a device from the running domain only (VIR_DOMAIN_AFFECT_LIVE). USB devices leave at once; a PCI
   * device needs the guest's consent, and libvirt may return after its timeout with the device still present.
   */
  void detachDeviceLive(String name, String deviceXml);

  /** Defines (or redefines) a persistent virtual network and returns its name. */
  String defineNetwork(String xml);

  /** Whether the named network is active; a missing network is a failure. */
  boolean networkActive(String name);

  /** Starts a defined network. */
  void startNetwork(String name);

  /** The network's XML, or empty when there is no network of that name. */
  Optional<String> networkXml(String name);

  /** Closes the connection; further calls fail. Never throws. */
  @Override
  void close();
}
