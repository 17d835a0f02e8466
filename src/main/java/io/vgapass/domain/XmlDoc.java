package io.vgapass.domain;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * A libvirt domain (or network) XML document, edited through the DOM so that everything vgapass does not touch stays as it was:
 * comments, unknown elements, other tools' {@code <metadata>} with their namespaces, attribute order.
 *
 * <p>Reading is hardened (no DOCTYPE, hence no DTD and no external entities). Writing ({@link #serialize()}) uses
 * libvirt's layout (two spaces per level, single-quoted attributes); what was read and not edited comes out the same,
 * and writing what was written and read again gives the same bytes.
 *
 * <p>The root is libvirt's {@code <domain>} ({@link #parse}, {@link #read}) or {@code <network>}
 * ({@link #parseNetwork}, {@link #newNetwork}); anything else is refused. The property methods ({@link #get},
 * {@link #set}, {@link #remove}, {@link #list}, {@link #add}, {@link #ensure}) work relative to that root; see {@link XmlNode} for their semantics and
 * {@link PropertyPath} for the path syntax.
 */
public final class XmlDoc {

  /** The namespace of vgapass's own {@code <metadata>} child; bound to the prefix {@code vgapass}. */
  public static final String VGAPASS_NS = "https://vgapass.io/xmlns/libvirt/domain/1.0";

  /** The libvirt documents XmlDoc reads, each with the virsh command that exports one (named in messages). */
  public enum Root {
    DOMAIN("domain", "virsh dumpxml NAME"),
    NETWORK("network", "virsh net-dumpxml NAME");

    private final String element;
    private final String export;

    Root(String element, String export) {
      this.element = element;
      this.export = export;
    }

    /** The root element's name. */
    public String element() {
      return element;
    }

    private String fix() {
      return " — fix the XML or export it again with `" + export + "`";
    }
  }
  private static final Pattern DECLARATION = Pattern.compile("\\A\\uFEFF?(<\\?xml[ \\t\\r\\n][^>]*\\?>)");
  private static final Pattern ENCODING = Pattern.compile("encoding\\s*=\\s*[\"']([A-Za-z0-9._\\-]+)[\"']");

  private final String name;
  private final Root kind;
  private final Document dom;
  private final String declaration;
  private final Charset charset;
  private final Map<String, String> prefixes = new LinkedHashMap<>();

  private XmlDoc(String name, Root kind, Document dom, String declaration) {
    this.name = name;
    this.kind = kind;
    this.dom = dom;
    this.declaration = declaration;
    this.charset = charsetOf(declaration);
    prefixes.put("vgapass", VGAPASS_NS);
  }

  // ------------------------------------------------------------------ reading

  /**
   * Parses domain XML given as text.
   *
   * @param name how to name the input in messages, usually the file name
   * @throws IllegalArgumentException when the XML is malformed or its root is not {@code <domain>}, with a one-line
   *     message naming the input, the line, the problem and the fix
   */
  public static XmlDoc parse(String name, String xml) {
    return parse(name, xml, Root.DOMAIN);
  }

  /**
   * Parses a libvirt network's XML ({@code virsh net-dumpxml NAME}), hardened as {@link #parse(String, String)}.
   *
   * @throws IllegalArgumentException when the XML is malformed or its root is not {@code <network>}, in one line
   */
  public static XmlDoc parseNetwork(String name, String xml) {
    return parse(name, xml, Root.NETWORK);
  }

  /** An empty {@code <network>} to build a network's XML with the property methods. */
  public static XmlDoc newNetwork(String name) {
    return parseNetwork(name, "<network/>");
  }

  private static XmlDoc parse(String name, String xml, Root kind) {
    if (xml == null || xml.isBlank()) {
      throw empty(name, kind);
    }
    return parse(name, new InputSource(new StringReader(xml)), declaration(xml), kind);
  }

  /** Parses domain XML given as bytes; the encoding comes from the XML declaration (UTF-8 without one). */
  public static XmlDoc parse(String name, byte[] xml) {
    String head = new String(xml, 0, Math.min(xml.length, 256), StandardCharsets.ISO_8859_1);
    if (head.isBlank() && new String(xml, StandardCharsets.ISO_8859_1).isBlank()) {
      throw empty(name, Root.DOMAIN);
    }
    if (head.startsWith("\u00EF\u00BB\u00BF")) { // a UTF-8 byte order mark
      head = head.substring(3);
    }
    InputSource in = new InputSource(new ByteArrayInputStream(xml));
    return parse(name, in, declaration(head), Root.DOMAIN);
  }

  /** Reads and parses a domain XML file; the file is named in messages as given. */
  public static XmlDoc read(Path file) {
    String name = file.toString();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(name + ": no such file — check the path, or export the domain with "
          + "`virsh dumpxml NAME > " + file.getFileName() + "`");
    } catch (AccessDeniedException e) {
      throw new IllegalArgumentException(name + ": permission denied — run as a user who may read it, or copy it");
    } catch (IOException e) { // a directory, a device that fails: the path is the user's to fix
      throw new IllegalArgumentException(name + ": cannot read (" + oneLine(String.valueOf(e.getMessage()))
          + ") — give a domain XML file, as `virsh dumpxml NAME` writes it", e);
    }
    return parse(name, bytes);
  }

  private static XmlDoc parse(String name, InputSource in, String declaration, Root kind) {
    in.setSystemId(null);
    Document dom;
    try {
      dom = DomBuilder.parse(in);
    } catch (SAXParseException e) {
      throw malformed(name, e, kind);
    } catch (SAXException e) {
      throw new IllegalArgumentException(name + ": " + oneLine(e.getMessage()) + kind.fix(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException(name + ": cannot read: " + oneLine(e.getMessage()) + kind.fix(), e);
    }
    Element root = dom.getDocumentElement();
    if (!kind.element.equals(root.getLocalName()) || root.getNamespaceURI() != null) {
      String what = root.getNamespaceURI() == null ? "<" + root.getTagName() + ">"
          : "<" + root.getTagName() + "> in namespace " + root.getNamespaceURI();
      throw new IllegalArgumentException(name + ": the root element is " + what + ", not libvirt's <"
          + kind.element + "> — give a " + kind.element + "'s XML, as `" + kind.export + "` prints it");
    }
    return new XmlDoc(name, kind, dom, declaration);
  }

  private static IllegalArgumentException empty(String name, Root kind) {
    return new IllegalArgumentException(name + ": the input is empty — export the " + kind.element + " with `"
        + kind.export + "`");
  }

  private static IllegalArgumentException malformed(String name, SAXParseException e, Root kind) {
    String msg = oneLine(e.getMessage());
    String where = e.getLineNumber() > 0 ? ": line " + e.getLineNumber() : "";
    if (msg.contains("DOCTYPE")) {
      return new IllegalArgumentException(name + where + ": a <!DOCTYPE> is not accepted (vgapass reads no DTDs "
          + "or external entities, and libvirt needs none) — remove the DOCTYPE and its entities", e);
    }
    if (msg.endsWith(".")) {
      msg = msg.substring(0, msg.length() - 1);
    }
    if (msg.length() > 1 && Character.isUpperCase(msg.charAt(0)) && Character.isLowerCase(msg.charAt(1))) {
      msg = Character.toLowerCase(msg.charAt(0)) + msg.substring(1);
    }
    return new IllegalArgumentException(name + where + ": " + msg + kind.fix(), e);
  }

  private static String oneLine(String s) {
    return s == null ? "unknown error" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }

  private static String declaration(String text) {
    Matcher m = DECLARATION.matcher(text);
    return m.find() ? m.group(1) : null;
  }

  private static Charset charsetOf(String declaration) {
    if (declaration != null) {
      Matcher m = ENCODING.matcher(declaration);
      if (m.find()) {
        try {
          return Charset.forName(m.group(1).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          // an unknown name: the parser has accepted or refused it already; write UTF-8
        }
      }
    }
    return StandardCharsets.UTF_8;
  }

  // ------------------------------------------------------------------ the document

  /** The input's name, as given when parsing (used in messages). */
  public String name() {
    return name;
  }

  /** The underlying DOM. Edits made through it are kept; prefer the property methods. */
  public Document dom() {
    return dom;
  }

  /** Whether this is a domain's or a network's XML. */
  public Root kind() {
    return kind;
  }

  /** The root element: {@code <domain>} or {@code <network>}. */
  public XmlNode root() {
    return new XmlNode(this, dom.getDocumentElement());
  }

  /** Binds a prefix for use in paths ({@code ./metadata/PREFIX:name}); {@code vgapass} is bound already. */
  public XmlDoc bindPrefix(String prefix, String namespaceUri) {
    prefixes.put(prefix, namespaceUri);
    return this;
  }

  String namespaceFor(String prefix) {
    return prefixes.get(prefix);
  }

  /** A deep, independent copy (the same text, parsed again). */
  public XmlDoc copy() {
    XmlDoc c = parse(name, serialize(), kind);
    c.prefixes.putAll(prefixes);
    return c;
  }

  // ------------------------------------------------------------------ properties (relative to the root)

  /** @see XmlNode#get */
  public String get(String path) {
    return root().get(path);
  }

  /** @see XmlNode#set */
  public void set(String path, String value) {
    root().set(path, value);
  }

  /** @see XmlNode#remove(String) */
  public int remove(String path) {
    return root().remove(path);
  }

  /** @see XmlNode#list */
  public List<XmlNode> list(String path) {
    return root().list(path);
  }

  /** @see XmlNode#find */
  public XmlNode find(String path) {
    return root().find(path);
  }

  /** @see XmlNode#exists */
  public boolean exists(String path) {
    return root().exists(path);
  }

  /** @see XmlNode#add */
  public XmlNode add(String path) {
    return root().add(path);
  }

  /** @see XmlNode#ensure */
  public XmlNode ensure(String path) {
    return root().ensure(path);
  }

  // ------------------------------------------------------------------ writing

  /** The document as text in libvirt's layout, ending with a newline; the XML declaration is kept if there was one. */
  public String serialize() {
    CharsetEncoder enc = charset.equals(StandardCharsets.UTF_8) || charset.name().startsWith("UTF-")
        ? null : charset.newEncoder();
    return XmlWriter.write(dom, declaration, enc);
  }

  /** {@link #serialize()} encoded as the XML declaration says (UTF-8 without one). */
  public byte[] toBytes() {
    return serialize().getBytes(charset);
  }

  @Override
  public String toString() {
    return serialize();
  }
}
