package io.vgapass.host;

import java.util.List;

/**
 * The Secure Boot keys held by a UEFI variable store (an OVMF variables template).
 *
 * @param pk certificates in PK (the platform key)
 * @param kek certificates in KEK: who may sign updates to db and dbx
 * @param db certificates in db: whose signatures on boot loaders and option ROMs are trusted
 * @param dbHashes SHA-256 image hashes in db (trusted by hash, not by signer)
 * @param dbx entries of dbx, the revocation list (hashes and certificates)
 */
public record SecureBootKeys(List<EfiCert> pk, List<EfiCert> kek, List<EfiCert> db, int dbHashes, int dbx) {

  /** True when the store holds no keys at all: Secure Boot is in setup mode (off) with this template. */
  public boolean empty() {
    return pk.isEmpty() && kek.isEmpty() && db.isEmpty() && dbHashes == 0 && dbx == 0;
  }

  public boolean kekHas(String microsoftName) {
    return kek.stream().anyMatch(c -> microsoftName.equals(c.microsoft()));
  }

  public boolean dbHas(String microsoftName) {
    return db.stream().anyMatch(c -> microsoftName.equals(c.microsoft()));
  }
}
