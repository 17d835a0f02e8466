package io.vgapass.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine.TypeConversionException;

/** The checks every command line gets before any command sees it, and the one-line form of every error. */
final class Arguments {
  private Arguments() {}

  /**
   * Null when no argument holds a control character, else the refusal. A newline or escape typed into a name or path
   * would otherwise reach generated files, libvirt and error messages as lines and sequences of its own.
   */
  static String controlCharacterRefusal(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      for (int k = 0; k < a.length(); k++) {
        char c = a.charAt(k);
        if (Character.isISOControl(c)) {
          return "argument " + (i + 1) + " ('" + escape(a) + "') holds a control character (" + escape(String.valueOf(c))
              + "); give each value on one line, without control characters";
        }
      }
    }
    return null;
  }

  /** picocli's converter for every {@link Path} option: an empty path would mean the current directory. */
  static Path path(String s) {
    if (s.isEmpty()) throw new TypeConversionException("an empty path; give a file or directory");
    try {
      return Path.of(s);
    } catch (InvalidPathException e) {
      throw new TypeConversionException("'" + escape(s) + "' is not a path (" + e.getReason() + ")");
    }
  }

  /** A message on one line: line breaks (Jackson's, libvirt's, a user's value) become spaces, controls escapes. */
  static String oneLine(String message) {
    if (message == null || message.isBlank()) return "(no message)";
    return escape(message.strip().replaceAll("\\s*\\R\\s*", " "));
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (Character.isISOControl(c)) b.append(String.format("\\u%04x", (int) c));
          else b.append(c);
        }
      }
    }
    return b.toString();
  }
}
