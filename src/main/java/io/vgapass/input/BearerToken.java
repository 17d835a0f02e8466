package io.vgapass.input;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The switch-back service's check of an {@code Authorization} header. Both sides are hashed (SHA-256) before
 * {@link MessageDigest#isEqual}, a comparison that does not stop at the first differing byte: the time it takes
 * depends on neither how much of the token a guess got right nor on the token's length, so answers cannot be timed
 * to learn it.
 */
final class BearerToken {
  private final byte[] expected;

  BearerToken(String token) {
    this.expected = sha256("Bearer " + token);
  }

  /** True when exactly one Authorization header carries the token. */
  boolean matches(List<String> authorization) {
    if (authorization == null || authorization.size() != 1) return false;
    return MessageDigest.isEqual(sha256(authorization.get(0).strip()), expected);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.ISO_8859_1));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
