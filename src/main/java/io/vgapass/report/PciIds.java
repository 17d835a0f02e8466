package io.vgapass.report;

import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The PCI ID database ({@code pci.ids}, as pciutils and hwdata ship it): vendor, device and
 * subsystem names, and class names. Lines: {@code VVVV  Vendor}, {@code \tDDDD  Device},
 * {@code \t\tSSSS ssss  Subsystem}; after {@code C CC  Class}: {@code \tSS  Subclass} and
 * {@code \t\tPP  Programming interface}. Everything it does not know falls back to the numeric id.
 */
public final class PciIds {
  /** Where distributions put the file, under the sysroot: Debian/Ubuntu, Fedora/Arch, others. */
  public static final List<String> LOCATIONS =
      List.of("usr/share/misc/pci.ids", "usr/share/hwdata/pci.ids", "usr/share/pci.ids");

  private static final PciIds EMPTY = new PciIds(null);

  private final String file;
  private final Map<String, String> vendors = new HashMap<>();
  private final Map<String, String> devices = new HashMap<>();
  private final Map<String, String> subsystems = new HashMap<>();
  private final Map<Integer, String> classes = new HashMap<>();

  private PciIds(String file) {
    this.file = file;
  }

  /** No database: every name is the numeric id. */
  public static PciIds empty() {
    return EMPTY;
  }

  /** The first database found under the root, or {@link #empty()}. */
  public static PciIds load(SysRoot root) {
    for (String rel : LOCATIONS) {
      Path p = root.resolve(rel);
      if (!Files.isRegularFile(p)) continue;
      try {
        return parse(decode(Files.readAllBytes(p)), rel);
      } catch (IOException | RuntimeException e) {
        // unreadable: try the next place, then fall back to numbers
      }
    }
    return EMPTY;
  }

  /** pci.ids is UTF-8 today; older copies may hold Latin-1 bytes, which must not stop the parse. */
  private static String decode(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
  }

  public static PciIds parse(String text, String file) {
    PciIds db = new PciIds(file);
    String vendor = null;
    String device = null;
    Integer cls = null;
    Integer sub = null;
    for (String line : text.split("\n", -1)) {
      if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
      if (line.isBlank() || line.startsWith("#")) continue;
      if (line.startsWith("C ")) {
        // "C 03  Display controller"
        String[] kv = split(line.substring(2));
        cls = hex(kv[0], 2);
        sub = null;
        vendor = null;
        device = null;
        if (cls != null && kv[1] != null) db.classes.put(cls << 16 | 0xffff, kv[1]);
        continue;
      }
      if (!line.startsWith("\t")) {
        // a vendor, or another top-level list pciutils keeps at the end (e.g. "C", already handled)
        cls = null;
        sub = null;
        device = null;
        String[] kv = split(line);
        vendor = isHex(kv[0], 4) ? kv[0].toLowerCase(Locale.ROOT) : null;
        if (vendor != null && kv[1] != null) db.vendors.put(vendor, kv[1]);
        continue;
      }
      boolean two = line.startsWith("\t\t");
      String body = line.substring(two ? 2 : 1);
      if (cls != null) {
        String[] kv = split(body);
        Integer n = hex(kv[0], 2);
        if (n == null || kv[1] == null) continue;
        if (!two) {
          sub = n;
          db.classes.put(cls << 16 | sub << 8 | 0xff, kv[1]);
        } else if (sub != null) {
          db.classes.put(cls << 16 | sub << 8 | n, kv[1]);
        }
        continue;
      }
      if (vendor == null) continue;
      if (!two) {
        String[] kv = split(body);
        device = isHex(kv[0], 4) ? kv[0].toLowerCase(Locale.ROOT) : null;
        if (device != null && kv[1] != null) db.devices.put(vendor + ":" + device, kv[1]);
      } else if (device != null) {
        // "\t\t1462 3283  Name": subvendor, subdevice, two spaces, name
        String[] words = body.trim().split("\\s+", 3);
        if (words.length == 3 && isHex(words[0], 4) && isHex(words[1], 4)) {
          db.subsystems.put(vendor + ":" + device + ":" + words[0].toLowerCase(Locale.ROOT) + ":"
              + words[1].toLowerCase(Locale.ROOT), words[2].trim());
        }
      }
    }
    return db;
  }

  /** "1234  Name" -> {"1234", "Name"}; the name is null when missing. */
  private static String[] split(String s) {
    String t = s.trim();
    int sp = t.indexOf(' ');
    if (sp < 0) sp = t.indexOf('\t');
    if (sp < 0) return new String[] {t, null};
    String name = t.substring(sp).trim();
    return new String[] {t.substring(0, sp), name.isEmpty() ? null : name};
  }

  private static boolean isHex(String s, int len) {
    return s != null && s.length() == len && s.chars().allMatch(c -> Character.digit(c, 16) >= 0);
  }

  private static Integer hex(String s, int len) {
    return isHex(s, len) ? Integer.valueOf(s, 16) : null;
  }

  /** The file it was read from (relative to the sysroot), or null when there is none. */
  public String file() {
    return file;
  }

  public boolean isEmpty() {
    return vendors.isEmpty() && classes.isEmpty();
  }

  public int vendorCount() {
    return vendors.size();
  }

  private static String norm(String id) {
    return id == null ? "" : id.toLowerCase(Locale.ROOT).replaceFirst("^0x", "");
  }

  /** The vendor's name, or null when the database does not know it. */
  public String vendorName(String vendorId) {
    return vendors.get(norm(vendorId));
  }

  public String deviceName(String vendorId, String deviceId) {
    return devices.get(norm(vendorId) + ":" + norm(deviceId));
  }

  public String subsystemName(String vendorId, String deviceId, String subVendor, String subDevice) {
    return subsystems.get(norm(vendorId) + ":" + norm(deviceId) + ":" + norm(subVendor) + ":" + norm(subDevice));
  }

  /** The vendor's name, or "vendor 10de". */
  public String vendor(String vendorId) {
    String n = vendorName(vendorId);
    return n != null ? n : "vendor " + norm(vendorId);
  }

  /** The device's name, or "device 1c03". */
  public String device(String vendorId, String deviceId) {
    String n = deviceName(vendorId, deviceId);
    return n != null ? n : "device " + norm(deviceId);
  }

  /**
   * The most specific class name known: programming interface, subclass, class; else the
   * numeric class ("class 0x030000").
   */
  public String className(int classCode) {
    int base = classCode >> 16 & 0xff;
    int sub = classCode >> 8 & 0xff;
    int prog = classCode & 0xff;
    String s = classes.get(base << 16 | sub << 8 | prog);
    String subName = classes.get(base << 16 | sub << 8 | 0xff);
    if (s != null && subName != null && prog != 0) return subName + " (" + s + ")";
    if (subName != null) return subName;
    String baseName = classes.get(base << 16 | 0xffff);
    if (baseName != null) return baseName;
    return String.format(Locale.ROOT, "class 0x%06x", classCode & 0xffffff);
  }
}
