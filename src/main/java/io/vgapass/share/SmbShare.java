package io.vgapass.share;

/**
 * One domain's Samba share, as written into smb.conf.
 *
 * @param domain the libvirt domain it is for (one share per domain)
 * @param name the share name the guest sees (\\HOST\NAME)
 * @param path the host directory
 * @param user the dedicated Samba account, the only one let in
 * @param forceUser the directory's owner: files written through the share are theirs
 * @param interfaces what smbd listens on: loopback and the host-only network's bridge
 * @param hostsAllow loopback and the host-only network's subnet
 * @param hostAddress the host's address on the host-only network (for the guest's {@code net use})
 */
public record SmbShare(String domain, String name, String path, boolean readOnly, String user, String forceUser,
    String interfaces, String hostsAllow, String hostAddress) {

  /** What the guest runs to map the share (the password is asked for, or given after /user:). */
  public String netUse() {
    return "net use S: \\\\" + hostAddress + "\\" + name + " /user:" + user + " PASSWORD /persistent:yes";
  }
}
