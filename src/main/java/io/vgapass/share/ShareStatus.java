package io.vgapass.share;

import io.vgapass.domain.FilesystemShare;
import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A domain's shares as share status reports them. The component names are the JSON fields of {@code share status
 * --json} (docs/json.md): they are never renamed.
 *
 * @param smb the domain's Samba section, or null when smb.conf has none
 */
public record ShareStatus(String domain, Smb smb, List<Virtiofs> virtiofs) {
  /** The domain's smb.conf section; passwordFile is null when the account's secret file is missing. */
  public record Smb(String name, String path, boolean readOnly, String user, String hostsAllow, String passwordFile) {}

  /** One virtiofs filesystem of the domain. */
  public record Virtiofs(String tag, String path, boolean readOnly) {}

  /** Reads the domain's smb.conf section and secret file under the root; {@code fs} comes from the domain XML. */
  public static ShareStatus read(SysRoot root, String domain, List<FilesystemShare> fs) throws IOException {
    byte[] conf = root.fileOrNull(SambaShares.CONF);
    Map<String, String> s = conf != null ? SambaConf.share(SambaShares.latin1(conf), domain) : Map.of();
    Smb smb = null;
    if (!s.isEmpty()) {
      boolean secret = root.exists(SambaShares.secretPath(domain));
      smb = new Smb(s.get("[name]"), s.get("path"), "yes".equals(s.get("read only")), s.get("valid users"),
          s.get("hosts allow"), secret ? "/" + SambaShares.secretPath(domain) : null);
    }
    return new ShareStatus(domain, smb,
        fs.stream().map(f -> new Virtiofs(f.tag(), f.source(), f.readOnly())).toList());
  }
}
