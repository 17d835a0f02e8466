package io.vgapass.domain;

import com.thaiopensource.util.PropertyMap;
import com.thaiopensource.util.PropertyMapBuilder;
import com.thaiopensource.validate.IncorrectSchemaException;
import com.thaiopensource.validate.Schema;
import com.thaiopensource.validate.ValidateProperty;
import com.thaiopensource.validate.Validator;
import com.thaiopensource.validate.rng.SAXSchemaReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.xml.XMLConstants;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.Text;
import org.xml.sax.ContentHandler;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.AttributesImpl;

/**
 * Checks a domain against libvirt's own RELAX NG schema ({@code domain.rng}, shipped by libvirt: Debian's
 * {@code libvirt0}, Fedora's {@code libvirt-libs}), with Jing; a network against {@code network.rng} beside it. The schema is compiled once per JVM and file (it takes
 * about a quarter of a second) and shared; validation itself is fast and thread-safe.
 *
 * <p>The document is validated as it is in memory (the DOM is walked, nothing is re-parsed), so each problem names the
 * element by its path ({@code /domain/devices/hostdev[2]/source/address}) and, for an element that was read from the
 * input, its line there.
 */
public final class SchemaValidator {

  /** Where libvirt installs its domain schema. */
  public static final Path DEFAULT_SCHEMA = Path.of("/usr/share/libvirt/schemas/domain.rng");

  /** Where libvirt installs its network schema, beside the domain's. */
  public static final Path DEFAULT_NETWORK_SCHEMA = DEFAULT_SCHEMA.resolveSibling("network.rng");

  private static final Map<Path, Schema> CACHE = new ConcurrentHashMap<>();
  private static final int MAX_PROBLEMS = 50;

  /** One schema violation. {@code line} is 0 when the element was created after reading. */
  public record Problem(String element, int line, String message) {
    /** {@code line 12: /domain/devices/hostdev/source: element "adress" not allowed here; ...} */
    @Override
    public String toString() {
      return (line > 0 ? "line " + line + ": " : "") + element + ": " + message;
    }
  }

  private final Path schemaFile;
  private final XmlDoc.Root kind;

  private SchemaValidator(Path schemaFile, XmlDoc.Root kind) {
    this.schemaFile = Objects.requireNonNull(schemaFile);
    this.kind = kind;
  }

  /** The validator for libvirt's installed schema, {@link #DEFAULT_SCHEMA}. */
  public static SchemaValidator libvirt() {
    return new SchemaValidator(DEFAULT_SCHEMA, XmlDoc.Root.DOMAIN);
  }

  /** The validator for libvirt's installed network schema, {@link #DEFAULT_NETWORK_SCHEMA}. */
  public static SchemaValidator libvirtNetwork() {
    return new SchemaValidator(DEFAULT_NETWORK_SCHEMA, XmlDoc.Root.NETWORK);
  }

  /** A validator for the given {@code domain.rng} (its includes are resolved beside it). */
  public static SchemaValidator of(Path schemaFile) {
    return new SchemaValidator(schemaFile, XmlDoc.Root.DOMAIN);
  }

  public Path schemaFile() {
    return schemaFile;
  }

  /** True when the schema file exists. */
  public boolean available() {
    return Files.isRegularFile(schemaFile);
  }

  /**
   * Every problem found (at most 50), in document order; empty when the domain is valid.
   *
   * @throws IllegalStateException when the schema file is missing or cannot be compiled, saying how to fix that
   */
  public List<Problem> validate(XmlDoc doc) {
    Schema schema = schema();
    Walker walker = new Walker();
    PropertyMapBuilder props = new PropertyMapBuilder();
    props.put(ValidateProperty.ERROR_HANDLER, walker);
    Validator validator = schema.createValidator(props.toPropertyMap());
    try {
      walker.walk(doc, validator.getContentHandler());
    } catch (TooMany e) {
      // enough to report
    } catch (SAXException e) {
      walker.problems.add(new Problem(walker.currentPath(), walker.currentLine(), oneLine(e.getMessage())));
    }
    return List.copyOf(walker.problems);
  }

  /**
   * Throws when the domain breaks libvirt's schema.
   *
   * @throws IllegalArgumentException with one line: the input's name, the first problem's line, element and message,
   *     how many more there are, and what to do
   * @throws IllegalStateException when the schema is missing, as {@link #validate} does
   */
  public void check(XmlDoc doc) {
    List<Problem> problems = validate(doc);
    if (problems.isEmpty()) {
      return;
    }
    Problem first = problems.get(0);
    String more = problems.size() == 1 ? ""
        : " (and " + (problems.size() - 1) + " more problem" + (problems.size() == 2 ? "" : "s") + ")";
    throw new IllegalArgumentException(doc.name() + ": " + first + more
        + " — libvirt would refuse this " + doc.kind().element() + "; fix the element named (checked against " + schemaFile + ")");
  }

  private Schema schema() {
    Path key = schemaFile.toAbsolutePath().normalize();
    Schema cached = CACHE.get(key);
    if (cached != null) {
      return cached;
    }
    if (!Files.isRegularFile(key)) {
      throw new IllegalStateException("libvirt's " + kind.element() + " schema " + key + " is missing, so the "
          + kind.element() + " XML cannot "
          + "be checked — install it: `apt-get install libvirt0` (Debian/Ubuntu) or `dnf install libvirt-libs` "
          + "(Fedora)");
    }
    return CACHE.computeIfAbsent(key, file -> compile(file, kind));
  }

  private static Schema compile(Path file, XmlDoc.Root kind) {
    List<String> errors = new ArrayList<>();
    ErrorHandler eh = new ErrorHandler() {
      @Override
      public void warning(SAXParseException e) {}

      @Override
      public void error(SAXParseException e) {
        errors.add(e.getSystemId() + ":" + e.getLineNumber() + ": " + oneLine(e.getMessage()));
      }

      @Override
      public void fatalError(SAXParseException e) {
        error(e);
      }
    };
    PropertyMapBuilder props = new PropertyMapBuilder();
    props.put(ValidateProperty.ERROR_HANDLER, eh);
    PropertyMap map = props.toPropertyMap();
    try {
      InputSource in = new InputSource(file.toUri().toString());
      return SAXSchemaReader.getInstance().createSchema(in, map);
    } catch (IOException | SAXException | IncorrectSchemaException e) {
      String why = errors.isEmpty() ? oneLine(e.getMessage()) : errors.get(0);
      throw new IllegalStateException("libvirt's " + kind.element() + " schema " + file + " cannot be read: " + why
          + " — reinstall it: `apt-get install --reinstall libvirt0`", e);
    }
  }

  private static String oneLine(String s) {
    return s == null ? "invalid" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }

  private static final class TooMany extends SAXException {
    private static final long serialVersionUID = 1L;
  }

  /** Feeds the DOM to Jing as SAX events, knowing at each event which element it concerns. */
  private static final class Walker implements ErrorHandler, Locator {
    final List<Problem> problems = new ArrayList<>();
    private Element current;
    private String systemId;

    void walk(XmlDoc doc, ContentHandler h) throws SAXException {
      systemId = doc.name();
      h.setDocumentLocator(this);
      h.startDocument();
      element(doc.dom().getDocumentElement(), h);
      h.endDocument();
    }

    private void element(Element e, ContentHandler h) throws SAXException {
      AttributesImpl atts = new AttributesImpl();
      List<String> prefixes = new ArrayList<>();
      NamedNodeMap map = e.getAttributes();
      for (int i = 0; i < map.getLength(); i++) {
        Attr a = (Attr) map.item(i);
        if (XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(a.getNamespaceURI())) {
          String prefix = a.getPrefix() == null ? "" : a.getLocalName();
          prefixes.add(prefix);
          h.startPrefixMapping(prefix, a.getValue());
        } else {
          String uri = a.getNamespaceURI() == null ? "" : a.getNamespaceURI();
          String local = a.getLocalName() == null ? a.getName() : a.getLocalName();
          atts.addAttribute(uri, local, a.getName(), "CDATA", a.getValue());
        }
      }
      String uri = e.getNamespaceURI() == null ? "" : e.getNamespaceURI();
      String local = e.getLocalName() == null ? e.getTagName() : e.getLocalName();
      current = e;
      h.startElement(uri, local, e.getTagName(), atts);
      for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
        if (c instanceof Element ce) {
          element(ce, h);
          current = e;
        } else if (c instanceof Text t) {
          char[] chars = t.getData().toCharArray();
          h.characters(chars, 0, chars.length);
        }
      }
      current = e;
      h.endElement(uri, local, e.getTagName());
      for (int i = prefixes.size() - 1; i >= 0; i--) {
        h.endPrefixMapping(prefixes.get(i));
      }
    }

    String currentPath() {
      return current == null ? "/" : XmlNode.path(current);
    }

    int currentLine() {
      return current == null ? 0 : XmlNode.line(current).orElse(0);
    }

    @Override
    public void warning(SAXParseException e) {}

    @Override
    public void error(SAXParseException e) throws SAXException {
      problems.add(new Problem(currentPath(), currentLine(), oneLine(e.getMessage())));
      if (problems.size() >= MAX_PROBLEMS) {
        throw new TooMany();
      }
    }

    @Override
    public void fatalError(SAXParseException e) throws SAXException {
      error(e);
    }

    @Override
    public String getPublicId() {
      return null;
    }

    @Override
    public String getSystemId() {
      return systemId;
    }

    @Override
    public int getLineNumber() {
      return currentLine() > 0 ? currentLine() : -1;
    }

    @Override
    public int getColumnNumber() {
      return -1;
    }
  }
}
