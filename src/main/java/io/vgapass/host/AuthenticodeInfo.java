package io.vgapass.host;

import java.util.List;
import java.util.Objects;

/**
 * What the Authenticode signatures of a PE image (an EFI driver in an option ROM, a boot loader) say. An image may
 * carry several (Debian's shim since 2026: one under the Microsoft UEFI CA 2011, one under the UEFI CA 2023).
 *
 * @param status SIGNED, UNSIGNED (no certificate table), or DAMAGED (an image or signature vgapass cannot read)
 * @param signatures each PKCS#7 signature of the certificate table, in order
 * @param problem why the status is DAMAGED, one line; null otherwise
 */
public record AuthenticodeInfo(Status status, List<Signature> signatures, String problem) {

  public enum Status { SIGNED, UNSIGNED, DAMAGED }

  /**
   * One signature.
   *
   * @param digestAlgorithm the signed digest's algorithm ("SHA-256")
   * @param signedDigest the image digest the signature covers, hex
   * @param imageDigest the image's own Authenticode digest with that algorithm, hex
   * @param digestMatches the two are equal: the image is the one that was signed
   * @param signatureValid the signer's signature over that digest verifies with the signer's certificate
   * @param chain the certificates from the signer up, as the signature carries them
   * @param microsoftCa the Microsoft db certificate the chain ends in ("Microsoft Corporation UEFI CA 2011",
   *     "Microsoft Option ROM UEFI CA 2023"), checked by its signature; null for any other signer
   */
  public record Signature(String digestAlgorithm, String signedDigest, String imageDigest, boolean digestMatches,
      boolean signatureValid, List<Cert> chain, String microsoftCa) {
    /** The digest matches and the signature verifies: firmware that trusts the chain runs the image. */
    public boolean intact() {
      return digestMatches && signatureValid;
    }
  }

  /** One certificate of a chain: subject and issuer common names (the whole name when it has none). */
  public record Cert(String subject, String issuer, String notAfter) {}

  public static AuthenticodeInfo unsigned() {
    return new AuthenticodeInfo(Status.UNSIGNED, List.of(), null);
  }

  public static AuthenticodeInfo damaged(String problem) {
    return new AuthenticodeInfo(Status.DAMAGED, List.of(), problem);
  }

  /** At least one signature is intact. */
  public boolean intact() {
    return signatures.stream().anyMatch(Signature::intact);
  }

  /** The Microsoft CAs the intact signatures chain to, in signature order, without repeats. */
  public List<String> microsoftCas() {
    return signatures.stream().filter(Signature::intact).map(Signature::microsoftCa).filter(Objects::nonNull)
        .distinct().toList();
  }
}
