package io.vgapass.host;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/**
 * Reads the Authenticode signature of a PE image with BouncyCastle: the WIN_CERTIFICATE's PKCS#7 SignedData, whose
 * content (SpcIndirectDataContent) holds the digest of the image that was signed. Compares that digest with the
 * image's own ({@link PeImage#authenticodeHash}), verifies the signer's signature, and follows the certificates
 * the signature carries up to one of Microsoft's db certificates, checking the last link's signature with
 * Microsoft's published certificate. Never throws for a bad image: that is {@link AuthenticodeInfo.Status#DAMAGED}.
 */
public final class Authenticode {
  private static final Map<String, String> DIGESTS = Map.of(
      "2.16.840.1.101.3.4.2.1", "SHA-256", "2.16.840.1.101.3.4.2.2", "SHA-384",
      "2.16.840.1.101.3.4.2.3", "SHA-512", "1.3.14.3.2.26", "SHA-1");

  private Authenticode() {}

  /** A signature that parses but says something vgapass cannot use; the message is the one line shown. */
  private static final class Unreadable extends Exception {
    Unreadable(String message) {
      super(message);
    }
  }

  public static AuthenticodeInfo read(byte[] image) {
    try {
      PeImage pe = PeImage.parse(image);
      if (!pe.signed()) return AuthenticodeInfo.unsigned();
      List<byte[]> sigs = pe.signatures();
      if (sigs.isEmpty()) return AuthenticodeInfo.damaged("the certificate table holds no PKCS#7 signature");
      List<AuthenticodeInfo.Signature> out = new ArrayList<>();
      for (byte[] s : sigs.subList(0, Math.min(sigs.size(), 8))) out.add(signature(pe, s));
      return new AuthenticodeInfo(AuthenticodeInfo.Status.SIGNED, List.copyOf(out), null);
    } catch (PeImage.Malformed e) {
      return AuthenticodeInfo.damaged(e.getMessage());
    } catch (Exception | StackOverflowError e) {
      // BouncyCastle's parsers throw many kinds for hostile DER; all of them mean the same to the user
      return AuthenticodeInfo.damaged(e instanceof Unreadable ? e.getMessage() : "the signature is not readable PKCS#7 (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("")) + ")");
    }
  }

  /** One PKCS#7 signature; throws (read as DAMAGED) for what is not one. */
  private static AuthenticodeInfo.Signature signature(PeImage pe, byte[] pkcs7) throws Exception {
    CMSSignedData cms = new CMSSignedData(pkcs7);
    SignedData sd = SignedData.getInstance(cms.toASN1Structure().getContent());
    ASN1Sequence spc = ASN1Sequence.getInstance(sd.getEncapContentInfo().getContent());
    DigestInfo di = DigestInfo.getInstance(spc.getObjectAt(1));
    String algorithm = DIGESTS.get(di.getAlgorithmId().getAlgorithm().getId());
    if (algorithm == null) {
      throw new Unreadable("the signed digest uses an unknown algorithm " + di.getAlgorithmId().getAlgorithm());
    }
    String signed = HexFormat.of().formatHex(di.getDigest());
    String own = HexFormat.of().formatHex(pe.authenticodeHash(algorithm));
    @SuppressWarnings("unchecked")
    Collection<X509CertificateHolder> certs = cms.getCertificates().getMatches(null);
    Collection<SignerInformation> signers = cms.getSignerInfos().getSigners();
    if (signers.isEmpty()) throw new Unreadable("the PKCS#7 signature has no signer");
    SignerInformation si = signers.iterator().next();
    @SuppressWarnings("unchecked")
    Collection<X509CertificateHolder> mine = cms.getCertificates().getMatches(si.getSID());
    if (mine.isEmpty()) throw new Unreadable("the signer's certificate is not in the signature");
    X509CertificateHolder signer = mine.iterator().next();
    boolean valid;
    try {
      valid = si.verify(new JcaSimpleSignerInfoVerifierBuilder().build(signer));
    } catch (Exception e) {
      valid = false;
    }
    List<X509CertificateHolder> chain = chain(signer, certs);
    List<AuthenticodeInfo.Cert> shown = chain.stream().map(c -> new AuthenticodeInfo.Cert(cn(c.getSubject()),
        cn(c.getIssuer()), c.getNotAfter().toInstant().atZone(ZoneOffset.UTC).toLocalDate().toString())).toList();
    return new AuthenticodeInfo.Signature(algorithm, signed, own, signed.equals(own), valid, shown,
        microsoftAnchor(chain));
  }

  /** The signer, then each issuer the signature carries, until one is missing or repeats. */
  private static List<X509CertificateHolder> chain(X509CertificateHolder signer, Collection<X509CertificateHolder> all) {
    List<X509CertificateHolder> out = new ArrayList<>(List.of(signer));
    X509CertificateHolder cur = signer;
    while (out.size() < 10 && !cur.getIssuer().equals(cur.getSubject())) {
      X509CertificateHolder next = null;
      for (X509CertificateHolder c : all) {
        if (c.getSubject().equals(cur.getIssuer()) && !out.contains(c)) next = c;
      }
      if (next == null) break;
      out.add(next);
      cur = next;
    }
    return out;
  }

  /**
   * The Microsoft db certificate the chain ends in: one of its certificates is Microsoft's (same DER), or its
   * last certificate was issued by one (same name, and the signature verifies with Microsoft's public key).
   */
  private static String microsoftAnchor(List<X509CertificateHolder> chain) throws Exception {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    X509CertificateHolder top = chain.get(chain.size() - 1);
    for (Map.Entry<String, byte[]> ms : MicrosoftCerts.ders().entrySet()) {
      for (X509CertificateHolder c : chain) {
        if (java.util.Arrays.equals(c.getEncoded(), ms.getValue())) return ms.getKey();
      }
      X509Certificate anchor = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(ms.getValue()));
      if (X500Name.getInstance(anchor.getSubjectX500Principal().getEncoded()).equals(top.getIssuer())) {
        try {
          if (top.isSignatureValid(new JcaContentVerifierProviderBuilder().build(anchor))) return ms.getKey();
        } catch (Exception e) {
          // a different key under the same name: not Microsoft's
        }
      }
    }
    return null;
  }

  private static String cn(X500Name name) {
    RDN[] cn = name.getRDNs(BCStyle.CN);
    return cn.length == 0 ? name.toString() : IETFUtils.valueToString(cn[0].getFirst().getValue());
  }
}
