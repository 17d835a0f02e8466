package io.vgapass.input;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * The switch-back service's bearer token: 32 random bytes (base64url) in a file only its owner can read (0600),
 * generated on first use. A file that group or others can read is refused rather than used.
 */
public final class TokenFile {
  /** The default place, relative to the root. */
  public static final String DEFAULT = "etc/vgapass/switch-token";
  private static final int MIN_LENGTH = 32;

  /** The token and whether it was generated just now. */
  public record Token(String value, boolean generated) {
    @Override
    public String toString() {
      return "Token[" + (generated ? "generated" : "read") + "]"; // never the value
    }
  }

  private TokenFile() {}

  /** The default file, whose directory (/etc/vgapass) is made on first use. */
  public static Token loadOrCreate(Path file) throws IOException {
    return loadOrCreate(file, true);
  }

  /**
   * @param makeDirectory create the file's directory when missing; false for a path the user named,
   *     where a missing directory is more likely a typo than a wish
   */
  public static Token loadOrCreate(Path file, boolean makeDirectory) throws IOException {
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException("--token-file " + file + ": a directory; give the token file's path");
    }
    if (!Files.exists(file)) {
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null && !Files.isDirectory(dir) && !makeDirectory) {
        throw new IllegalArgumentException("--token-file " + file + ": the directory " + dir + " does not exist; "
            + "check the path, or create the directory first");
      }
      if (dir != null && !Files.isDirectory(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      byte[] raw = new byte[32];
      new SecureRandom().nextBytes(raw);
      String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, token + "\n", StandardCharsets.US_ASCII);
        return new Token(token, true);
      } catch (FileAlreadyExistsException e) {
        // another run made it meanwhile: read that one
      }
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
    Set<PosixFilePermission> open = EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);
    open.retainAll(perms);
    if (!open.isEmpty()) {
      throw new IllegalArgumentException("--token-file " + file + ": others can read or write it ("
          + PosixFilePermissions.toString(perms) + "); chmod 600 " + file + " (or delete it for a new token)");
    }
    String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
    if (token.length() < MIN_LENGTH || !token.matches("[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException("--token-file " + file + ": not a vgapass token (at least " + MIN_LENGTH
          + " characters of A-Z a-z 0-9 _ -); delete it and a new one is generated");
    }
    return new Token(token, false);
  }
}
