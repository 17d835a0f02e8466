package io.vgapass.domain;

import java.nio.charset.CharsetEncoder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.w3c.dom.Attr;
import org.w3c.dom.CDATASection;
import org.w3c.dom.Comment;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.ProcessingInstruction;
import org.w3c.dom.Text;

/**
 * Writes a DOM in libvirt's own style: two spaces per level, one element per line, attributes on the tag's line in
 * the order they were written (new ones after), single quotes, and libvirt's escaping of {@code < > & ' "}.
 *
 * <p>Layout rules, chosen so that writing what was read back in gives the same bytes (a fixpoint):
 * <ul>
 *   <li>an element without children is written {@code <x/>};</li>
 *   <li>an element with only text keeps that text exactly, on the tag's line: {@code <name>vm</name>};</li>
 *   <li>an element with child elements, comments or processing instructions and no other text than whitespace is
 *       indented: the whitespace is replaced by a newline and the indentation of the level;</li>
 *   <li>mixed content (child elements and non-blank text) is written exactly as it is, with no added whitespace.</li>
 * </ul>
 */
final class XmlWriter {

  private static final String INDENT = "  ";

  private final StringBuilder out = new StringBuilder(4096);
  private final CharsetEncoder encoder;

  private XmlWriter(CharsetEncoder encoder) {
    this.encoder = encoder;
  }

  /**
   * @param declaration the XML declaration to write first, verbatim, or null for none
   * @param encoder characters that it cannot encode are written as character references; null for all
   */
  static String write(Document doc, String declaration, CharsetEncoder encoder) {
    XmlWriter w = new XmlWriter(encoder);
    if (declaration != null) {
      w.out.append(declaration).append('\n');
    }
    for (Node n = doc.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Text) {
        continue;
      }
      w.node(n, 0, false);
      w.out.append('\n');
    }
    return w.out.toString();
  }

  /** Writes one element and its subtree at the given depth, as {@link #write} would; no trailing newline. */
  static String write(Element el, int depth) {
    XmlWriter w = new XmlWriter(null);
    w.node(el, depth, false);
    return w.out.toString();
  }

  private void node(Node n, int depth, boolean verbatim) {
    switch (n.getNodeType()) {
      case Node.ELEMENT_NODE -> element((Element) n, depth, verbatim);
      case Node.CDATA_SECTION_NODE -> cdata(((CDATASection) n).getData());
      case Node.TEXT_NODE -> escape(((Text) n).getData(), false);
      case Node.COMMENT_NODE -> out.append("<!--").append(((Comment) n).getData()).append("-->");
      case Node.PROCESSING_INSTRUCTION_NODE -> {
        ProcessingInstruction pi = (ProcessingInstruction) n;
        out.append("<?").append(pi.getTarget());
        if (pi.getData() != null && !pi.getData().isEmpty()) {
          out.append(' ').append(pi.getData());
        }
        out.append("?>");
      }
      case Node.ENTITY_REFERENCE_NODE -> {
        for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
          node(c, depth, true);
        }
      }
      default -> {
        // document type, notations and entities cannot occur: a DOCTYPE is refused when reading
      }
    }
  }

  private void element(Element el, int depth, boolean verbatim) {
    out.append('<').append(el.getTagName());
    attributes(el);
    List<Node> kids = children(el);
    if (kids.isEmpty()) {
      out.append("/>");
      return;
    }
    out.append('>');
    boolean structure = false;
    boolean text = false;
    for (Node k : kids) {
      short t = k.getNodeType();
      if (t == Node.ELEMENT_NODE || t == Node.COMMENT_NODE || t == Node.PROCESSING_INSTRUCTION_NODE
          || t == Node.ENTITY_REFERENCE_NODE) {
        structure = true;
      } else if (t == Node.CDATA_SECTION_NODE || !isBlank(((Text) k).getData())) {
        text = true;
      }
    }
    if (verbatim || !structure || text) {
      for (Node k : kids) {
        node(k, depth + 1, true);
      }
    } else {
      for (Node k : kids) {
        if (k instanceof Text && !(k instanceof CDATASection)) {
          continue; // blank: replaced by our indentation
        }
        out.append('\n');
        indent(depth + 1);
        node(k, depth + 1, false);
      }
      out.append('\n');
      indent(depth);
    }
    out.append("</").append(el.getTagName()).append('>');
  }

  /** Child nodes without empty text nodes (a parsed document has none, an edited one may). */
  private static List<Node> children(Element el) {
    List<Node> kids = new ArrayList<>();
    for (Node k = el.getFirstChild(); k != null; k = k.getNextSibling()) {
      if (k.getNodeType() == Node.TEXT_NODE && ((Text) k).getLength() == 0) {
        continue;
      }
      kids.add(k);
    }
    return kids;
  }

  private void attributes(Element el) {
    NamedNodeMap map = el.getAttributes();
    if (map.getLength() == 0) {
      return;
    }
    Set<String> done = new HashSet<>();
    for (String q : attributeOrder(el)) {
      Attr a = el.getAttributeNode(q);
      if (a != null && done.add(q)) {
        attribute(a);
      }
    }
    for (int i = 0; i < map.getLength(); i++) {
      Attr a = (Attr) map.item(i);
      if (done.add(a.getName())) {
        attribute(a);
      }
    }
  }

  @SuppressWarnings("unchecked")
  static List<String> attributeOrder(Element el) {
    Object o = el.getUserData(DomBuilder.ATTR_ORDER);
    return o instanceof List<?> l ? (List<String>) l : List.of();
  }

  private void attribute(Attr a) {
    out.append(' ').append(a.getName()).append("='");
    escape(a.getValue(), true);
    out.append('\'');
  }

  private void cdata(String data) {
    out.append("<![CDATA[").append(data.replace("]]>", "]]]]><![CDATA[>")).append("]]>");
  }

  private void indent(int depth) {
    for (int i = 0; i < depth; i++) {
      out.append(INDENT);
    }
  }

  static boolean isBlank(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return false;
      }
    }
    return true;
  }

  private void escape(String s, boolean attribute) {
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      switch (cp) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '\'' -> out.append("&apos;");
        case '"' -> out.append("&quot;");
        case '\r' -> out.append("&#13;");
        case '\n' -> out.append(attribute ? "&#10;" : "\n");
        case '\t' -> out.append(attribute ? "&#9;" : "\t");
        default -> {
          if (encoder != null && cp > 0x7f && !encoder.canEncode(new String(Character.toChars(cp)))) {
            out.append("&#").append(cp).append(';');
          } else {
            out.appendCodePoint(cp);
          }
        }
      }
    }
  }
}
