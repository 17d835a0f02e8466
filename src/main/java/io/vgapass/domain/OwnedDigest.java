package io.vgapass.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * What vgapass wrote, as a digest its ownership record carries: the SHA-256 (first 16 hex digits) of a canonical
 * form of the elements. The form is the element with its attributes sorted, blank text dropped, comments ignored
 * and prefixes replaced by namespaces, less what libvirt adds or renumbers on its own when it defines the domain
 * (a device's {@code <address>} and {@code <alias>}; an interface's {@code <mac>} and {@code <target>}; a
 * controller's {@code <model>} and {@code <target>}): so the digest survives libvirt, and changes when anyone
 * changes, adds or removes anything vgapass wrote.
 */
final class OwnedDigest {
  private static final Set<String> LIBVIRT_ADDS = Set.of("address", "alias");
  private static final Map<String, Set<String>> LIBVIRT_ADDS_TO = Map.of(
      "interface", Set.of("mac", "target"),
      "controller", Set.of("model", "target"));

  private OwnedDigest() {}

  static String of(List<XmlNode> elements) {
    StringBuilder b = new StringBuilder();
    for (XmlNode e : elements) {
      canonical(e.element(), true, b);
      b.append('\n');
    }
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  /** The canonical form of one element, for tests and for reading what a digest covers. */
  static String canonical(XmlNode e) {
    StringBuilder b = new StringBuilder();
    canonical(e.element(), true, b);
    return b.toString();
  }

  private static void canonical(Element e, boolean top, StringBuilder b) {
    String name = e.getLocalName() != null ? e.getLocalName() : e.getNodeName();
    b.append('<').append(qualified(e.getNamespaceURI(), name));
    List<String> attrs = new ArrayList<>();
    NamedNodeMap map = e.getAttributes();
    for (int i = 0; i < map.getLength(); i++) {
      Attr a = (Attr) map.item(i);
      if ("http://www.w3.org/2000/xmlns/".equals(a.getNamespaceURI()) || a.getName().startsWith("xmlns")) continue;
      String local = a.getLocalName() != null ? a.getLocalName() : a.getName();
      attrs.add(qualified(a.getNamespaceURI(), local) + "=\"" + escape(a.getValue()) + "\"");
    }
    attrs.sort(null);
    for (String a : attrs) b.append(' ').append(a);
    b.append('>');
    Set<String> skip = top ? LIBVIRT_ADDS_TO.getOrDefault(name, Set.of()) : Set.of();
    for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c instanceof Element child) {
        String local = child.getLocalName() != null ? child.getLocalName() : child.getNodeName();
        if (top && (LIBVIRT_ADDS.contains(local) || skip.contains(local))) continue;
        canonical(child, false, b);
      } else if (c.getNodeType() == Node.TEXT_NODE || c.getNodeType() == Node.CDATA_SECTION_NODE) {
        String t = c.getNodeValue().strip();
        if (!t.isEmpty()) b.append(escape(t));
      }
    }
    b.append("</>");
  }

  private static String qualified(String ns, String local) {
    return ns == null || ns.isEmpty() ? local : "{" + ns + "}" + local;
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;").replace("\n", "&#10;");
  }
}
