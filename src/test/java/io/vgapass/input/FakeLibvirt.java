package io.vgapass.input;

import io.vgapass.domain.XmlDoc;
import io.vgapass.libvirt.DomainInfo;
import io.vgapass.libvirt.LibvirtFailure;
import io.vgapass.libvirt.LibvirtPort;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A libvirt with domains in memory: live attach appends the device with an alias, detach removes it by alias. */
final class FakeLibvirt implements LibvirtPort {
  final Map<String, XmlDoc> live = new LinkedHashMap<>();
  final Map<String, Boolean> running = new LinkedHashMap<>();
  final List<String> calls = new ArrayList<>();
  String failAttachOf; // a substring of device XML whose attach fails
  private int aliases;

  FakeLibvirt domain(String name, boolean on) {
    live.put(name, XmlDoc.parse(name, "<domain type='qemu'><name>" + name + "</name><devices/></domain>"));
    running.put(name, on);
    return this;
  }

  @Override public String uri() { return "test:///fake"; }
  @Override public String libvirtVersion() { return "9.0.0"; }
  @Override public String hypervisorVersion() { return "7.2.0"; }
  @Override public List<String> domainNames() { return List.copyOf(live.keySet()); }

  @Override
  public Optional<DomainInfo> domain(String name) {
    if (!live.containsKey(name)) return Optional.empty();
    boolean on = running.get(name);
    return Optional.of(new DomainInfo(name, "00000000-0000-0000-0000-000000000000",
        on ? DomainInfo.State.RUNNING : DomainInfo.State.SHUTOFF, on ? 1 : -1));
  }

  @Override
  public String domainXml(String name, boolean inactive) {
    XmlDoc d = live.get(name);
    if (d == null) throw new LibvirtFailure("dumpxml", name, LibvirtFailure.NO_DOMAIN, "no domain");
    return d.serialize();
  }

  @Override
  public synchronized void attachDeviceLive(String name, String deviceXml) {
    calls.add("attach " + name);
    if (failAttachOf != null && deviceXml.contains(failAttachOf)) {
      throw new LibvirtFailure("attach-device --live", name, "VIR_ERR_OPERATION_FAILED", "refused by the fake");
    }
    XmlDoc d = live.get(name);
    org.w3c.dom.Element dev = first(wrap(deviceXml).find("./devices").element());
    org.w3c.dom.Element node = (org.w3c.dom.Element) d.dom().importNode(dev, true);
    if (node.getElementsByTagName("alias").getLength() == 0) {
      org.w3c.dom.Element a = d.dom().createElement("alias");
      a.setAttribute("name", "hostdev" + aliases++);
      node.appendChild(a);
    }
    d.find("./devices").element().appendChild(node);
  }

  @Override
  public synchronized void detachDeviceLive(String name, String deviceXml) {
    calls.add("detach " + name);
    org.w3c.dom.Element dev = first(wrap(deviceXml).find("./devices").element());
    String alias = ((org.w3c.dom.Element) dev.getElementsByTagName("alias").item(0)).getAttribute("name");
    XmlDoc d = live.get(name);
    org.w3c.dom.Element devices = d.find("./devices").element();
    for (org.w3c.dom.Node n = devices.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof org.w3c.dom.Element e && e.getElementsByTagName("alias").getLength() > 0
          && alias.equals(((org.w3c.dom.Element) e.getElementsByTagName("alias").item(0)).getAttribute("name"))) {
        devices.removeChild(e);
        return;
      }
    }
    throw new LibvirtFailure("detach-device --live", name, "VIR_ERR_DEVICE_MISSING", "device not found");
  }

  private static org.w3c.dom.Element first(org.w3c.dom.Element parent) {
    for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof org.w3c.dom.Element e) return e;
    }
    throw new IllegalArgumentException("no device element");
  }

  private static XmlDoc wrap(String deviceXml) {
    return XmlDoc.parse("dev", "<domain><devices>" + deviceXml + "</devices></domain>");
  }

  @Override public String define(String xml) { throw new UnsupportedOperationException(); }
  @Override public void undefine(String name) { throw new UnsupportedOperationException(); }
  @Override public void start(String name) { throw new UnsupportedOperationException(); }
  @Override public void shutdown(String name) { throw new UnsupportedOperationException(); }
  @Override public void destroy(String name) { throw new UnsupportedOperationException(); }
  @Override public String defineNetwork(String xml) { throw new UnsupportedOperationException(); }
  @Override public boolean networkActive(String name) { throw new UnsupportedOperationException(); }
  @Override public void startNetwork(String name) { throw new UnsupportedOperationException(); }
  @Override public Optional<String> networkXml(String name) { return Optional.empty(); }
  @Override public void close() { }
}
