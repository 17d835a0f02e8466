package io.vgapass.domain;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;
import org.xml.sax.ext.DefaultHandler2;

/**
 * Builds a DOM from SAX events so that what the DOM itself forgets is kept as user data: the order of each
 * element's attributes as written (a DOM {@code NamedNodeMap} sorts them by name) and the line where each element
 * starts. Parsing is hardened: a DOCTYPE is refused outright, so no DTD, no external entity and no entity
 * expansion can happen (XXE and "billion laughs" safe).
 */
final class DomBuilder extends DefaultHandler2 {

  /** User data key: {@code List<String>} of attribute qualified names in written order. */
  static final String ATTR_ORDER = "vgapass.attrOrder";
  /** User data key: {@code Integer} line of the element's start tag in the parsed input. */
  static final String LINE = "vgapass.line";

  /**
   * How deep elements may nest. libvirt's own domains stay under ten levels (domain/devices/hostdev/source/address)
   * and other tools' metadata adds a few more; the DOM walks that read, write and validate a document recurse once
   * per level, so a document nested thousands deep would end in a StackOverflowError instead of a refusal.
   */
  static final int MAX_DEPTH = 256;

  private static final SAXParserFactory SAX = saxFactory();
  private static final DocumentBuilderFactory DOM = DocumentBuilderFactory.newInstance();

  private final Document doc;
  private final Deque<Node> stack = new ArrayDeque<>();
  private final StringBuilder text = new StringBuilder();
  private boolean inCdata;
  private Locator locator;

  private DomBuilder(Document doc) {
    this.doc = doc;
    stack.push(doc);
  }

  static Document newDocument() {
    try {
      synchronized (DOM) {
        return DOM.newDocumentBuilder().newDocument();
      }
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK's DOM is not usable: " + e.getMessage(), e);
    }
  }

  /** Parses; SAX errors come out as {@link SAXParseException} with a line number. */
  static Document parse(InputSource in) throws SAXException, IOException {
    Document doc = newDocument();
    DomBuilder b = new DomBuilder(doc);
    XMLReader reader;
    try {
      synchronized (SAX) {
        reader = SAX.newSAXParser().getXMLReader();
      }
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK's SAX parser is not usable: " + e.getMessage(), e);
    }
    reader.setProperty("http://xml.org/sax/properties/lexical-handler", b);
    reader.setContentHandler(b);
    reader.setErrorHandler(b);
    reader.setDTDHandler(b);
    reader.setEntityResolver((publicId, systemId) -> {
      throw new SAXException("external entities are not allowed (" + systemId + ")");
    });
    reader.parse(in);
    return doc;
  }

  private static SAXParserFactory saxFactory() {
    SAXParserFactory f = SAXParserFactory.newInstance();
    f.setNamespaceAware(true);
    f.setValidating(false);
    f.setXIncludeAware(false);
    try {
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      // report xmlns declarations as attributes, in document order, so they are kept where they were written
      f.setFeature("http://xml.org/sax/features/namespace-prefixes", true);
    } catch (Exception e) {
      throw new IllegalStateException("cannot configure a safe XML parser: " + e.getMessage(), e);
    }
    return f;
  }

  @Override
  public void setDocumentLocator(Locator locator) {
    this.locator = locator;
  }

  @Override
  public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
    if (stack.size() > MAX_DEPTH) { // the stack holds the document and the open elements
      throw new SAXParseException("elements are nested more than " + MAX_DEPTH + " deep (<" + qName
          + ">); a libvirt domain needs fewer than twenty levels", locator);
    }
    flushText();
    Element el = doc.createElementNS(uri == null || uri.isEmpty() ? null : uri, qName);
    List<String> order = new ArrayList<>(atts.getLength());
    for (int i = 0; i < atts.getLength(); i++) {
      String q = atts.getQName(i);
      String ns;
      if (q.equals("xmlns") || q.startsWith("xmlns:")) {
        ns = XMLConstants.XMLNS_ATTRIBUTE_NS_URI;
      } else {
        String u = atts.getURI(i);
        ns = u == null || u.isEmpty() ? null : u;
      }
      el.setAttributeNS(ns, q, atts.getValue(i));
      order.add(q);
    }
    if (!order.isEmpty()) {
      el.setUserData(ATTR_ORDER, order, null);
    }
    if (locator != null && locator.getLineNumber() > 0) {
      el.setUserData(LINE, locator.getLineNumber(), null);
    }
    stack.peek().appendChild(el);
    stack.push(el);
  }

  @Override
  public void endElement(String uri, String localName, String qName) {
    flushText();
    stack.pop();
  }

  @Override
  public void characters(char[] ch, int start, int length) {
    text.append(ch, start, length);
  }

  @Override
  public void ignorableWhitespace(char[] ch, int start, int length) {
    text.append(ch, start, length);
  }

  @Override
  public void startCDATA() {
    flushText();
    inCdata = true;
  }

  @Override
  public void endCDATA() {
    stack.peek().appendChild(doc.createCDATASection(text.toString()));
    text.setLength(0);
    inCdata = false;
  }

  @Override
  public void comment(char[] ch, int start, int length) {
    flushText();
    stack.peek().appendChild(doc.createComment(new String(ch, start, length)));
  }

  @Override
  public void processingInstruction(String target, String data) {
    flushText();
    stack.peek().appendChild(doc.createProcessingInstruction(target, data));
  }

  private void flushText() {
    if (inCdata || text.length() == 0) {
      return;
    }
    // text outside the root element (only whitespace can be there) is not part of the DOM
    if (stack.peek() != doc) {
      stack.peek().appendChild(doc.createTextNode(text.toString()));
    }
    text.setLength(0);
  }

  @Override
  public void startDTD(String name, String publicId, String systemId) throws SAXException {
    throw new SAXParseException("DOCTYPE is not allowed", locator);
  }

  @Override
  public void warning(SAXParseException e) {
    // warnings do not stop reading
  }

  @Override
  public void error(SAXParseException e) throws SAXException {
    throw e;
  }

  @Override
  public void fatalError(SAXParseException e) throws SAXException {
    throw e;
  }
}
