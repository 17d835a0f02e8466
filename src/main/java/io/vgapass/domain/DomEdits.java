package io.vgapass.domain;

import io.vgapass.domain.PropertyPath.AttrEquals;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.xml.XMLConstants;
import org.w3c.dom.Attr;
import org.w3c.dom.CDATASection;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.Text;

/**
 * The DOM-level edits under {@link XmlNode}'s property layer, kept apart so that {@code XmlNode} reads as path
 * semantics (select, create, set, remove, prune) and this as the care each edit needs: an element's own text, the
 * attribute order libvirt's layout keeps, the namespace declarations vgapass adds (and takes away again), what counts
 * as empty when pruning, and which characters XML can hold.
 */
final class DomEdits {

  private static final String ADDED_NS = "vgapass.addedNamespace";

  private DomEdits() {}

  /** Declares a prefix that vgapass needs, marked so that it goes again with the last attribute that uses it. */
  static void declare(Element e, String prefix, String ns) {
    e.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:" + prefix, ns);
    e.getAttributeNodeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, prefix).setUserData(ADDED_NS, Boolean.TRUE, null);
    order(e).add("xmlns:" + prefix);
  }

  /** Removes the declarations that {@link #declare} added to {@code e} and that nothing in its subtree uses now. */
  static void dropAddedDeclarations(Element e) {
    NamedNodeMap attrs = e.getAttributes();
    for (int i = attrs.getLength() - 1; i >= 0; i--) {
      Attr a = (Attr) attrs.item(i);
      if (a.getUserData(ADDED_NS) != null && !usesPrefix(e, a.getLocalName())) {
        e.removeAttributeNode(a);
      }
    }
  }

  private static boolean usesPrefix(Element e, String prefix) {
    if (prefix.equals(e.getPrefix())) {
      return true;
    }
    NamedNodeMap attrs = e.getAttributes();
    for (int i = 0; i < attrs.getLength(); i++) {
      Attr a = (Attr) attrs.item(i);
      if (prefix.equals(a.getPrefix()) && !XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(a.getNamespaceURI())) {
        return true;
      }
    }
    for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c instanceof Element ce && usesPrefix(ce, prefix)) {
        return true;
      }
    }
    return false;
  }

  static void setText(Element e, String value, PropertyPath p) {
    for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c instanceof Element) {
        throw new IllegalArgumentException("bad path \"" + p.text() + "\": " + XmlNode.path(e)
            + " has child elements; set one of its attributes or children instead of its text");
      }
    }
    Node c = e.getFirstChild();
    while (c != null) {
      Node next = c.getNextSibling();
      if (c instanceof Text) {
        e.removeChild(c);
      }
      c = next;
    }
    if (!value.isEmpty()) {
      e.appendChild(e.getOwnerDocument().createTextNode(value));
    }
  }

  @SuppressWarnings("unchecked")
  static List<String> order(Element e) {
    Object o = e.getUserData(DomBuilder.ATTR_ORDER);
    if (o instanceof List<?> l) {
      return (List<String>) l;
    }
    List<String> order = new ArrayList<>();
    NamedNodeMap map = e.getAttributes();
    for (int i = 0; i < map.getLength(); i++) {
      order.add(map.item(i).getNodeName());
    }
    e.setUserData(DomBuilder.ATTR_ORDER, order, null);
    return order;
  }

  static boolean isEmpty(Element e, List<AttrEquals> allowed) {
    for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (!(c instanceof Text t) || c instanceof CDATASection || !XmlWriter.isBlank(t.getData())) {
        return false;
      }
    }
    NamedNodeMap attrs = e.getAttributes();
    for (int i = 0; i < attrs.getLength(); i++) {
      Attr a = (Attr) attrs.item(i);
      if (XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(a.getNamespaceURI())) {
        continue;
      }
      boolean ok = false;
      for (AttrEquals ae : allowed) {
        if (ae.name().local().equals(a.getLocalName()) && ae.value().equals(a.getValue())
            && (ae.name().prefix() == null) == (a.getNamespaceURI() == null)) {
          ok = true;
          break;
        }
      }
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** After a removal: an element left with nothing but blank text loses that text too, to print as {@code <x/>}. */
  static void tidy(Element e) {
    for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (!(c instanceof Text t) || c instanceof CDATASection || !XmlWriter.isBlank(t.getData())) {
        return;
      }
    }
    while (e.getFirstChild() != null) {
      e.removeChild(e.getFirstChild());
    }
  }

  static boolean hasText(Element e) {
    for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c instanceof Text t && (c instanceof CDATASection || !XmlWriter.isBlank(t.getData()))) {
        return true;
      }
    }
    return false;
  }

  static boolean sameName(Element a, Element b) {
    return Objects.equals(a.getLocalName(), b.getLocalName()) && Objects.equals(a.getNamespaceURI(), b.getNamespaceURI());
  }

  static void checkChars(String path, String value) {
    for (int i = 0; i < value.length(); ) {
      int c = value.codePointAt(i);
      boolean ok = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
          || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
      if (!ok) {
        throw new IllegalArgumentException(String.format(
            "value for \"%s\" contains U+%04X, which XML cannot hold", path, c));
      }
      i += Character.charCount(c);
    }
  }
}
