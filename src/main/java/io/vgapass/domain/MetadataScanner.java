package io.vgapass.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads vgapass's own {@code <vm>} metadata straight from the domain XML text, for the hook's
 * start path, where building a DOM is most of the work. It understands exactly the shape
 * {@link VgapassMetadata#write} produces (one level of empty elements with attributes), however
 * libvirt re-serialises it (quotes, indentation, prefix); anything else (comments, entities,
 * text, nesting) answers "not simple" and the caller uses the full parser.
 */
final class MetadataScanner {
  /** The child elements of {@code <vm>}, in document order, each as its local name and attributes. */
  record Element(String name, Map<String, String> attributes) {}

  /** Outcome: the children, or no metadata at all, or "not simple: use the DOM". */
  record Result(boolean present, boolean simple, List<Element> children) {
    static final Result ABSENT = new Result(false, true, List.of());
    static final Result NOT_SIMPLE = new Result(true, false, List.of());
  }

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][\\w.-]*");
  private static final Pattern TAG = Pattern.compile(
      "<(" + NAME + "):(" + NAME + ")((?:\\s+[\\w:.-]+\\s*=\\s*(?:\"[^\"<]*\"|'[^'<]*'))*)\\s*/>");
  private static final Pattern ATTR = Pattern.compile("([\\w:.-]+)\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)')");

  private MetadataScanner() {}

  static Result scan(String xml, String namespace) {
    if (!xml.contains(namespace)) return Result.ABSENT;
    Matcher ns = Pattern.compile("xmlns:(" + NAME + ")\\s*=\\s*([\"'])" + Pattern.quote(namespace) + "\\2")
        .matcher(xml);
    if (!ns.find()) return Result.NOT_SIMPLE;
    String prefix = ns.group(1);
    int open = xml.lastIndexOf("<" + prefix + ":vm", ns.start());
    int close = xml.indexOf("</" + prefix + ":vm>", ns.end());
    int bodyStart = xml.indexOf('>', ns.end());
    if (open < 0 || close < 0 || bodyStart < 0 || bodyStart > close || xml.charAt(bodyStart - 1) == '/') {
      return Result.NOT_SIMPLE;
    }
    if (xml.indexOf("xmlns:" + prefix, ns.end()) >= 0) return Result.NOT_SIMPLE; // the prefix is bound again
    String body = xml.substring(bodyStart + 1, close);
    List<Element> children = new ArrayList<>();
    Matcher tag = TAG.matcher(body);
    int at = 0;
    while (tag.find()) {
      if (!body.substring(at, tag.start()).isBlank() || !tag.group(1).equals(prefix)) return Result.NOT_SIMPLE;
      Map<String, String> attrs = new LinkedHashMap<>();
      Matcher a = ATTR.matcher(tag.group(3));
      while (a.find()) attrs.put(a.group(1), a.group(2) != null ? a.group(2) : a.group(3));
      if (attrs.values().stream().anyMatch(v -> v.indexOf('&') >= 0)) return Result.NOT_SIMPLE;
      children.add(new Element(tag.group(2), attrs));
      at = tag.end();
    }
    if (!body.substring(at).isBlank()) return Result.NOT_SIMPLE;
    return new Result(true, true, children);
  }
}
