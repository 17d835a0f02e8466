package io.vgapass.host;

/**
 * One X.509 certificate found in a UEFI signature database (PK, KEK, db or dbx).
 *
 * @param subjectCn the subject's common name, or the whole subject when it has none
 * @param issuer the issuer's distinguished name
 * @param notAfter the end of validity, ISO date (2026-06-24)
 * @param sha256 SHA-256 of the DER, lower-case hex: how Microsoft's certificates are recognised
 * @param microsoft the name of the Microsoft certificate it is ("Windows UEFI CA 2023"), null for others
 */
public record EfiCert(String subjectCn, String issuer, String notAfter, String sha256, String microsoft) {}
