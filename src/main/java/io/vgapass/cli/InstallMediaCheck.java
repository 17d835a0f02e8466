package io.vgapass.cli;

import io.vgapass.plan.InstallMedia;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks {@code --install-iso} and {@code --drivers-iso} before anything is planned: the file is there, can be read,
 * and is an optical disc image (ISO 9660 or UDF), so a typo or a disk image does not become a CD-ROM nothing boots.
 */
final class InstallMediaCheck {
  /** The volume descriptors start at sector 16 (2048-byte sectors); byte 1 holds the standard identifier. */
  private static final int DESCRIPTOR_ID = 16 * 2048 + 1;

  private InstallMediaCheck() {}

  static InstallMedia media(String installIso, String driversIso) {
    return new InstallMedia(absolute(installIso), absolute(driversIso));
  }

  /** One line naming the option, the file, what is wrong and the fix; nothing for a plan for another machine. */
  static void check(String option, String file, boolean live) {
    if (file == null) return;
    if (file.isBlank() || file.chars().anyMatch(c -> c < 0x20)) {
      throw new UserError(option + ": an empty or unprintable path; give the .iso file");
    }
    if (!live) {
      if (!file.startsWith("/")) {
        throw new UserError(option + " " + file + ": give an absolute path (the plan is for another machine)");
      }
      return;
    }
    Path p = Path.of(file);
    if (Files.isDirectory(p)) throw new UserError(option + " " + file + ": a directory; give the .iso file");
    if (!Files.exists(p)) throw new UserError(option + " " + file + ": no such file; download the ISO first");
    if (!Files.isRegularFile(p)) throw new UserError(option + " " + file + ": not a regular file; give the .iso file");
    byte[] id = new byte[5];
    int read;
    try (InputStream in = Files.newInputStream(p)) {
      read = in.skip(DESCRIPTOR_ID) == DESCRIPTOR_ID ? in.readNBytes(id, 0, id.length) : 0;
    } catch (IOException e) {
      throw new UserError(option + " " + file + ": cannot be read (" + e.getMessage() + "); check its permissions");
    }
    if (read < id.length) throw new UserError(option + " " + file + ": too short for an ISO image; download it again");
    String tag = new String(id, StandardCharsets.US_ASCII);
    if (!tag.equals("CD001") && !tag.equals("BEA01")) {
      throw new UserError(option + " " + file + ": not an ISO image (no ISO 9660 or UDF volume descriptor); give the "
          + ".iso file itself");
    }
  }

  private static String absolute(String file) {
    return file == null ? null : Path.of(file).toAbsolutePath().normalize().toString();
  }
}
