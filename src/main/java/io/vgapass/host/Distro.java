package io.vgapass.host;

import java.util.List;

/** What /etc/os-release says. */
public record Distro(String id, List<String> idLike, String versionId, String prettyName) {

  public static final Distro UNKNOWN = new Distro("unknown", List.of(), "", "unknown");

  public boolean is(String family) {
    return id.equals(family) || idLike.contains(family);
  }
}
