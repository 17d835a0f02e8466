package io.vgapass.domain;

import io.vgapass.domain.PropertyPath.AttrEquals;
import io.vgapass.domain.PropertyPath.Index;
import io.vgapass.domain.PropertyPath.Predicate;
import io.vgapass.domain.PropertyPath.QName;
import io.vgapass.domain.PropertyPath.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import javax.xml.XMLConstants;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.Text;

/**
 * A handle on one element of an {@link XmlDoc}, with the property operations relative to it. Paths are those of
 * {@link PropertyPath}: {@code ./source/address/@bus}, {@code ./vcpupin[@vcpu='3']/@cpuset}, {@code .}, {@code @type}.
 * A path that starts with {@code /} is taken from the document's root ({@code /domain/...}).
 *
 * <p>Semantics, after virt-manager's {@code XMLProperty}:
 * <ul>
 *   <li>{@link #get}: the value of the first match (an attribute's value, or an element's own text); null when
 *       nothing matches;</li>
 *   <li>{@link #set}: the first match is changed; missing elements on the way are created, each with the attributes
 *       that its {@code [@a='v']} predicates name, and placed in libvirt's usual order ({@link ElementOrder});
 *       {@code [n]} creates the n-th element only when n-1 exist; a null value removes;</li>
 *   <li>{@link #remove}: every match is removed, then each ancestor (up to this element, never the root) that the
 *       removal left empty is removed too. Empty means no child elements, comments or text, and no attributes but
 *       namespace declarations and those named by the path's own predicates (so removing
 *       {@code ./cputune/vcpupin[@vcpu='3']/@cpuset} also drops the then meaningless {@code <vcpupin vcpu='3'/>}
 *       and an emptied {@code <cputune>}). Elements with any other content are never pruned.</li>
 * </ul>
 */
public final class XmlNode {

  private final XmlDoc doc;
  private final Element element;

  XmlNode(XmlDoc doc, Element element) {
    this.doc = Objects.requireNonNull(doc);
    this.element = Objects.requireNonNull(element);
  }

  /** The document this element belongs to. */
  public XmlDoc doc() {
    return doc;
  }

  /** The underlying DOM element, for what the property layer does not cover. */
  public Element element() {
    return element;
  }

  /** The element's name as written, with its prefix if any ({@code hostdev}, {@code vgapass:vm}). */
  public String name() {
    return element.getTagName();
  }

  /** The element's local name, without prefix. */
  public String localName() {
    return element.getLocalName();
  }

  /** The element's namespace URI, or null (libvirt's own elements have none). */
  public String namespaceUri() {
    return element.getNamespaceURI();
  }

  /** The line of the element's start tag in the parsed input; empty for an element created since. */
  public OptionalInt line() {
    return line(element);
  }

  static OptionalInt line(Element e) {
    Object o = e.getUserData(DomBuilder.LINE);
    return o instanceof Integer i ? OptionalInt.of(i) : OptionalInt.empty();
  }

  /** The parent element, or null for the root. */
  public XmlNode parent() {
    return element.getParentNode() instanceof Element p ? new XmlNode(doc, p) : null;
  }

  /** A path that addresses this element from the root, such as {@code /domain/devices/hostdev[2]}. */
  public String path() {
    return path(element);
  }

  static String path(Element e) {
    List<String> parts = new ArrayList<>();
    for (Node n = e; n instanceof Element el; n = n.getParentNode()) {
      int index = 0;
      int count = 0;
      if (el.getParentNode() instanceof Element p) {
        for (Node s = p.getFirstChild(); s != null; s = s.getNextSibling()) {
          if (s instanceof Element se && DomEdits.sameName(se, el)) {
            count++;
            if (se == el) {
              index = count;
            }
          }
        }
      }
      parts.add(0, count > 1 ? el.getTagName() + "[" + index + "]" : el.getTagName());
    }
    return "/" + String.join("/", parts);
  }

  // ------------------------------------------------------------------ reading

  /** The value at {@code path}: an attribute's value or an element's own text ("" when it has none); null if absent. */
  public String get(String path) {
    PropertyPath p = PropertyPath.parse(path);
    List<Element> found = select(p);
    if (p.isAttribute()) {
      for (Element e : found) {
        Attr a = attribute(e, p.attribute(), p);
        if (a != null) {
          return a.getValue();
        }
      }
      return null;
    }
    return found.isEmpty() ? null : ownText(found.get(0));
  }

  /** True when {@code path} matches an element, or an attribute that is present. */
  public boolean exists(String path) {
    PropertyPath p = PropertyPath.parse(path);
    return p.isAttribute() ? get(path) != null : !select(p).isEmpty();
  }

  /** Every element that {@code path} matches, in document order. */
  public List<XmlNode> list(String path) {
    PropertyPath p = PropertyPath.parse(path);
    if (p.isAttribute()) {
      throw new IllegalArgumentException("bad path \"" + path + "\": list() needs elements, not an attribute");
    }
    List<XmlNode> out = new ArrayList<>();
    for (Element e : select(p)) {
      out.add(new XmlNode(doc, e));
    }
    return out;
  }

  /** The first element that {@code path} matches, or null. */
  public XmlNode find(String path) {
    List<XmlNode> all = list(path);
    return all.isEmpty() ? null : all.get(0);
  }

  // ------------------------------------------------------------------ writing

  /**
   * Sets the attribute or element text at {@code path}, creating what is missing; {@code null} removes it as
   * {@link #remove} does. Setting an element's text is refused when it has child elements.
   */
  public void set(String path, String value) {
    if (value == null) {
      remove(path);
      return;
    }
    PropertyPath p = PropertyPath.parse(path);
    DomEdits.checkChars(path, value);
    Element e = resolveOrCreate(p, p.steps().size());
    if (p.isAttribute()) {
      setAttribute(e, p.attribute(), value, p);
    } else {
      DomEdits.setText(e, value, p);
    }
  }

  /** The element at {@code path}, created (with its missing parents) when absent. */
  public XmlNode ensure(String path) {
    PropertyPath p = elementPath(path, "ensure");
    return new XmlNode(doc, resolveOrCreate(p, p.steps().size()));
  }

  /**
   * Always creates a new element for the last step of {@code path} (parents are found or created as in
   * {@link #set}), with the attributes of its {@code [@a='v']} predicates, placed after its last sibling of the same
   * name or in libvirt's order. For a second {@code <hostdev>}, a new {@code <vcpupin>}.
   */
  public XmlNode add(String path) {
    PropertyPath p = elementPath(path, "add");
    if (p.steps().isEmpty()) {
      throw new IllegalArgumentException("bad path \"" + path + "\": add() needs a step to create");
    }
    Step last = p.steps().get(p.steps().size() - 1);
    for (Predicate pr : last.predicates()) {
      if (pr instanceof Index) {
        throw new IllegalArgumentException("bad path \"" + path + "\": add() always appends; drop the [n]");
      }
    }
    Element parent = resolveOrCreate(p, p.steps().size() - 1);
    return new XmlNode(doc, create(parent, last, p));
  }

  /**
   * Removes every attribute or element that {@code path} matches, then prunes the ancestors left empty (see the
   * class comment). Returns how many matches were removed; 0 when nothing matched.
   */
  public int remove(String path) {
    PropertyPath p = PropertyPath.parse(path);
    int removed = 0;
    for (Element e : select(p)) {
      if (p.isAttribute()) {
        Attr a = attribute(e, p.attribute(), p);
        if (a == null) {
          continue;
        }
        e.removeAttributeNode(a);
        removed++;
        DomEdits.dropAddedDeclarations(e);
        prune(e, p, p.steps().size() - 1);
      } else {
        if (e == element || e == e.getOwnerDocument().getDocumentElement()) {
          throw new IllegalArgumentException("bad path \"" + path + "\": it names "
              + (e == element ? "the element itself; use remove() without a path" : "the root element"));
        }
        Node parent = e.getParentNode();
        parent.removeChild(e);
        removed++;
        if (parent instanceof Element pe) {
          DomEdits.tidy(pe);
          prune(pe, p, p.steps().size() - 2);
        }
      }
    }
    return removed;
  }

  /** Removes this element from the document and prunes the ancestors it leaves empty. */
  public void remove() {
    if (!(element.getParentNode() instanceof Element parent)) {
      throw new IllegalArgumentException("the root element <" + name() + "> cannot be removed");
    }
    parent.removeChild(element);
    DomEdits.tidy(parent);
    Element e = parent;
    Element root = e.getOwnerDocument().getDocumentElement();
    while (e != root && DomEdits.isEmpty(e, List.of()) && e.getParentNode() instanceof Element up) {
      up.removeChild(e);
      DomEdits.tidy(up);
      e = up;
    }
  }

  // ------------------------------------------------------------------ evaluation

  private Node context(PropertyPath p) {
    return p.absolute() ? element.getOwnerDocument() : element;
  }

  private List<Element> select(PropertyPath p) {
    Node ctx = context(p);
    List<Node> current = List.of(ctx);
    for (Step step : p.steps()) {
      List<Node> next = new ArrayList<>();
      for (Node n : current) {
        next.addAll(matches(n, step, p));
      }
      current = next;
    }
    List<Element> out = new ArrayList<>(current.size());
    for (Node n : current) {
      if (n instanceof Element e) {
        out.add(e);
      }
    }
    return out;
  }

  /** Children of {@code parent} that {@code step} matches, predicates applied in turn. */
  private List<Element> matches(Node parent, Step step, PropertyPath p) {
    String ns = namespace(step.name(), parent, p);
    List<Element> cands = new ArrayList<>();
    for (Node c = parent.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c instanceof Element e && step.name().local().equals(e.getLocalName())
          && Objects.equals(ns, e.getNamespaceURI())) {
        cands.add(e);
      }
    }
    for (Predicate pr : step.predicates()) {
      if (pr instanceof Index ix) {
        cands = ix.n() <= cands.size() ? List.of(cands.get(ix.n() - 1)) : List.of();
      } else if (pr instanceof AttrEquals ae) {
        List<Element> kept = new ArrayList<>();
        for (Element e : cands) {
          Attr a = attribute(e, ae.name(), p);
          if (a != null && a.getValue().equals(ae.value())) {
            kept.add(e);
          }
        }
        cands = kept;
      }
    }
    return cands;
  }

  /** Walks the first {@code depth} steps, creating missing elements; returns the element reached. */
  private Element resolveOrCreate(PropertyPath p, int depth) {
    Node cur = context(p);
    for (int i = 0; i < depth; i++) {
      Step step = p.steps().get(i);
      List<Element> found = matches(cur, step, p);
      if (!found.isEmpty()) {
        cur = found.get(0);
        continue;
      }
      if (!(cur instanceof Element parent)) {
        throw new IllegalArgumentException("bad path \"" + p.text() + "\": the root element is <"
            + element.getOwnerDocument().getDocumentElement().getTagName() + ">, not <" + step.name() + ">");
      }
      cur = create(parent, step, p);
    }
    if (!(cur instanceof Element e)) {
      throw new IllegalArgumentException("bad path \"" + p.text() + "\": it names no element");
    }
    return e;
  }

  private Element create(Element parent, Step step, PropertyPath p) {
    List<Predicate> preds = step.predicates();
    List<AttrEquals> attrs = new ArrayList<>();
    for (int i = 0; i < preds.size(); i++) {
      Predicate pr = preds.get(i);
      if (pr instanceof AttrEquals ae) {
        for (AttrEquals other : attrs) {
          if (other.name().equals(ae.name()) && !other.value().equals(ae.value())) {
            throw new IllegalArgumentException("bad path \"" + p.text() + "\": [@" + ae.name()
                + "] cannot equal both '" + other.value() + "' and '" + ae.value() + "'");
          }
        }
        attrs.add(ae);
      } else if (pr instanceof Index ix) {
        if (i != preds.size() - 1) {
          throw new IllegalArgumentException("bad path \"" + p.text() + "\": cannot create " + step.name()
              + " with [" + ix.n() + "] before other predicates; put the [n] last");
        }
        int existing = matches(parent, new Step(step.name(), List.copyOf(attrs)), p).size();
        if (ix.n() != existing + 1) {
          throw new IllegalArgumentException("bad path \"" + p.text() + "\": cannot create " + step.name()
              + "[" + ix.n() + "] under " + path(parent) + ": " + existing + " exist, so only ["
              + (existing + 1) + "] can be added");
        }
      }
    }
    if (DomEdits.hasText(parent)) {
      throw new IllegalArgumentException("bad path \"" + p.text() + "\": " + path(parent)
          + " holds text, so it cannot get a child <" + step.name() + ">");
    }
    Document d = parent.getOwnerDocument();
    String ns = namespace(step.name(), parent, p);
    Element child;
    if (ns == null) {
      child = d.createElementNS(null, step.name().local());
    } else {
      String prefix = parent.lookupPrefix(ns);
      boolean declared = prefix != null;
      if (prefix == null) {
        prefix = step.name().prefix();
      }
      child = d.createElementNS(ns, prefix + ":" + step.name().local());
      if (!declared) {
        DomEdits.declare(child, prefix, ns);
      }
    }
    ElementOrder.insert(parent, child);
    for (AttrEquals ae : attrs) {
      setAttribute(child, ae.name(), ae.value(), p);
    }
    return child;
  }

  private void setAttribute(Element e, QName name, String value, PropertyPath p) {
    String ns = name.prefix() == null ? null : namespace(name, e, p);
    Attr existing = attribute(e, name, p);
    if (existing != null) {
      existing.setValue(value);
      return;
    }
    String qname = name.local();
    if (ns != null) {
      String prefix = XMLConstants.XML_NS_URI.equals(ns) ? "xml" : e.lookupPrefix(ns);
      if (prefix == null) {
        prefix = name.prefix();
        DomEdits.declare(e, prefix, ns);
      }
      qname = prefix + ":" + name.local();
    }
    e.setAttributeNS(ns, qname, value);
    List<String> order = DomEdits.order(e);
    if (!order.contains(qname)) {
      order.add(qname);
    }
  }

  private Attr attribute(Element e, QName name, PropertyPath p) {
    if (name.prefix() == null) {
      return e.getAttributeNodeNS(null, name.local());
    }
    return e.getAttributeNodeNS(namespace(name, e, p), name.local());
  }

  /** The namespace of a path name: none when unprefixed; else the document's binding, else the XML's own. */
  private String namespace(QName name, Node near, PropertyPath p) {
    if (name.prefix() == null) {
      return null;
    }
    if (name.prefix().equals("xml")) {
      return XMLConstants.XML_NS_URI;
    }
    String ns = doc.namespaceFor(name.prefix());
    if (ns == null) {
      Node n = near instanceof Document d ? d.getDocumentElement() : near;
      ns = n == null ? null : n.lookupNamespaceURI(name.prefix());
    }
    if (ns == null) {
      throw new IllegalArgumentException("bad path \"" + p.text() + "\": prefix '" + name.prefix()
          + "' is not bound; bind it with XmlDoc.bindPrefix(\"" + name.prefix() + "\", URI)");
    }
    return ns;
  }

  // ------------------------------------------------------------------ pruning

  /** Removes {@code e} and its ancestors while they are empty, stopping at this handle's element and the root. */
  private void prune(Element e, PropertyPath p, int stepIndex) {
    Element root = e.getOwnerDocument().getDocumentElement();
    while (e != element && e != root && stepIndex >= 0) {
      List<AttrEquals> allowed = p.steps().get(stepIndex).attrPredicates();
      if (!DomEdits.isEmpty(e, allowed) || !(e.getParentNode() instanceof Element parent)) {
        return;
      }
      parent.removeChild(e);
      DomEdits.tidy(parent);
      e = parent;
      stepIndex--;
    }
  }

  // ------------------------------------------------------------------ helpers

  private static PropertyPath elementPath(String path, String op) {
    PropertyPath p = PropertyPath.parse(path);
    if (p.isAttribute()) {
      throw new IllegalArgumentException("bad path \"" + path + "\": " + op + "() needs an element, not an attribute");
    }
    return p;
  }

  static String ownText(Element e) {
    StringBuilder sb = new StringBuilder();
    for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c instanceof Text t) {
        sb.append(t.getData());
      }
    }
    return sb.toString();
  }

  /** The element and its subtree as XML, indented as in the document. */
  public String toXml() {
    return XmlWriter.write(element, 0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof XmlNode n && n.element == element;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(element);
  }

  @Override
  public String toString() {
    return path();
  }
}
