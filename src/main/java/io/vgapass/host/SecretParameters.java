package io.vgapass.host;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kernel parameters whose values are secrets, replaced by {@value #REDACTED} in a capture: a capture is made
 * to be posted publicly, and a kernel command line can carry a disk key or a password ({@code luks.key=},
 * {@code rd.iscsi.password=}). vgapass reads nothing from these values.
 *
 * <p>A parameter is secret when its name (the part before the first {@code =}, compared without case)
 * <ul>
 *   <li>has a part, between dots, dashes or underscores, that ends in {@code key} ({@code luks.key},
 *       {@code rd.luks.key}, {@code cryptkey}, {@code api_key}), or is {@code keyfile} or {@code keys}; a
 *       {@code keymap} or {@code keytable} is not a key;</li>
 *   <li>or contains {@code password}, {@code passwd}, {@code passphrase}, {@code secret}, {@code token} or
 *       {@code credential} anywhere ({@code rd.iscsi.in.password}, {@code systemd.set_credential});</li>
 *   <li>or is {@code cryptdevice} with a keyfile part, or {@code rd.luks.options} etc.: not needed, their
 *       keyfile is named by {@code cryptkey}/{@code rd.luks.key} above.</li>
 * </ul>
 * {@code cryptdevice=} (Arch's encrypt hook) names a device and a mapping, no secret: its keyfile is given by
 * {@code cryptkey=}, which is redacted. Values in double quotes ({@code name="a b"}) are one parameter, as the
 * kernel parses them; a quoted list ({@code GRUB_CMDLINE_LINUX="... luks.key=x"}) is redacted inside.
 */
public final class SecretParameters {
  public static final String REDACTED = "REDACTED";
  private static final Pattern WORD = Pattern.compile("(?:\"[^\"]*\"?|[^\\s\"])+");
  private static final Pattern PART = Pattern.compile("[._-]");
  private static final List<String> ANYWHERE =
      List.of("password", "passwd", "passphrase", "secret", "token", "credential");

  private SecretParameters() {}

  /** A text with its secret values replaced, and the names of the parameters that were. */
  public record Redaction(String text, List<String> names) {
    public boolean changed() {
      return !names.isEmpty();
    }
  }

  public static boolean isSecret(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    for (String word : ANYWHERE) {
      if (n.contains(word)) return true;
    }
    for (String part : PART.split(n)) {
      if (part.endsWith("key") || part.equals("keyfile") || part.equals("keys")) return true;
    }
    return false;
  }

  /** Replaces the value of every secret {@code name=value} word in {@code text} (a command line, a config line). */
  public static Redaction redact(String text) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = WORD.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (m.find()) {
      String word = m.group();
      int eq = word.indexOf('=');
      String replacement = word;
      if (eq > 0) {
        String name = word.substring(0, eq);
        // GRUB_CMDLINE_LINUX="rd.luks.key=..." : the parameter starts after the quote
        String bare = name.startsWith("\"") ? name.substring(1) : name;
        if (isSecret(bare) && !word.substring(eq + 1).equals(REDACTED)) {
          names.add(bare);
          replacement = name + "=" + REDACTED;
        } else if (word.substring(eq + 1).startsWith("\"") && !bare.isEmpty()) {
          // a quoted list of parameters (GRUB_CMDLINE_LINUX="a=1 luks.key=x"): redact inside it
          String inner = word.substring(eq + 2);
          boolean closed = inner.endsWith("\"");
          Redaction r = redact(closed ? inner.substring(0, inner.length() - 1) : inner);
          names.addAll(r.names());
          replacement = name + "=\"" + r.text() + (closed ? "\"" : "");
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return new Redaction(out.toString(), List.copyOf(names));
  }
}
