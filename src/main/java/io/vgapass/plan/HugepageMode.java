package io.vgapass.plan;

import java.util.Locale;

/** What the user asked for guest memory backing. */
public enum HugepageMode {
  AUTO, TWO_MB, ONE_GB, OFF;

  public static HugepageMode parse(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "auto" -> AUTO;
      case "2m", "2mb", "2mib" -> TWO_MB;
      case "1g", "1gb", "1gib" -> ONE_GB;
      case "off", "no", "none" -> OFF;
      default -> throw new IllegalArgumentException("--hugepages " + s + ": use auto, 2M, 1G or off");
    };
  }
}
