package io.vgapass.cli;

import io.vgapass.domain.DomainPaths;
import io.vgapass.domain.XmlDoc;
import io.vgapass.host.EfiVarStore;
import io.vgapass.host.InRoot;
import io.vgapass.host.SecureBootKeys;
import io.vgapass.host.SysRoot;
import io.vgapass.libvirt.DomainInfo;
import io.vgapass.libvirt.LibvirtPort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * Which UEFI variables file a firmware command reads: one named directly (--vars), or a domain's own
 * (--domain: its {@code <os><nvram>}, read from its inactive XML). Read inside the root, bounded in size.
 */
public final class VarsFile {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Which which;

  static final class Which {
    @Option(names = "--vars", paramLabel = "FILE", description = "An OVMF variables file (a VM's own, or a copy of "
        + "a template such as /usr/share/OVMF/OVMF_VARS_4M.ms.fd).") Path vars;
    @Option(names = "--domain", paramLabel = "NAME", description = "The domain whose variables file (<os><nvram>) "
        + "to use.") String domain;
  }

  /**
   * The file found and read.
   *
   * @param path relative to the root
   * @param bytes its bytes, or the template's when it does not exist yet ({@code exists} false)
   * @param domain the domain it belongs to, or null
   * @param template the domain's template, or null
   */
  record Located(String path, byte[] bytes, boolean exists, String domain, String template, String label) {
    SecureBootKeys keys() {
      try {
        return EfiVarStore.keys(bytes);
      } catch (EfiVarStore.Malformed e) {
        throw new UserError(label + ": not an OVMF variables file vgapass can read (" + e.getMessage() + ")");
      }
    }
  }

  /**
   * Finds and reads the file. {@code offline}: the domain must be shut off (its firmware holds the file while it
   * runs), and a domain whose file does not exist yet is given its template's bytes.
   */
  Located locate(SysRoot root, ConnectOption connect, boolean offline) {
    if (which.vars != null) {
      String rel = InRoot.relative(root.root(), which.vars.toAbsolutePath());
      String label = "--vars " + which.vars;
      byte[] b = read(root, rel, label).orElseThrow(() -> new UserError(label + ": no such file; give an OVMF "
          + "variables file (a VM's own under /var/lib/libvirt/qemu/nvram, or a copy of /usr/share/OVMF/OVMF_VARS_4M.ms.fd)"));
      return new Located(rel, b, true, null, null, label);
    }
    String name = which.domain;
    String label = "--domain " + name;
    try (LibvirtPort port = connect.open()) {
      Optional<DomainInfo> info = port.domain(name);
      if (info.isEmpty()) throw new UserError(label + ": no such domain on " + connect.uri + " (virsh list --all)");
      if (offline && info.get().state() != DomainInfo.State.SHUTOFF) {
        throw new UserError(label + ": the domain is " + info.get().state().name().toLowerCase(java.util.Locale.ROOT)
            + " and its firmware holds the variables file; stop it first (vgapass vm stop " + name
            + "), then run again; nothing was changed");
      }
      XmlDoc doc = XmlDoc.parse("domain " + name, port.domainXml(name, true));
      String nvram = doc.get(DomainPaths.NVRAM);
      String template = doc.get(DomainPaths.NVRAM_TEMPLATE);
      if (nvram == null || nvram.isBlank()) {
        throw new UserError(label + ": the domain has no UEFI variables file (<os><nvram>): it does not boot OVMF "
            + "with Secure Boot (vgapass plan makes one that does)");
      }
      String rel = InRoot.relative(root.root(), Path.of(nvram.strip()));
      Optional<byte[]> own = read(root, rel, label + " (" + nvram.strip() + ")");
      if (own.isPresent()) return new Located(rel, own.get(), true, name, template, label);
      if (!offline || template == null) {
        throw new UserError(label + ": its variables file " + nvram.strip() + " does not exist yet (libvirt makes it "
            + "from the template at the first start); start the domain once, or give --vars FILE");
      }
      String tl = label + " (template " + template + ")";
      byte[] t = read(root, InRoot.relative(root.root(), Path.of(template)), tl)
          .orElseThrow(() -> new UserError(tl + ": the template does not exist; reinstall ovmf"));
      return new Located(rel, t, false, name, template, label);
    }
  }

  /** The file's bytes, empty when absent; one-line errors for what is not a regular file or is too large. */
  private static Optional<byte[]> read(SysRoot root, String rel, String label) {
    Path p;
    try {
      p = root.entry(rel);
    } catch (IOException e) {
      throw new UserError(label + ": cannot be reached (" + e.getMessage() + ")");
    }
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
    if (Files.isSymbolicLink(p)) {
      throw new UserError(label + " is a symbolic link; give the file it points to");
    }
    try {
      return Optional.of(InRoot.readRegular(p, EfiVarStore.MAX_SIZE));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UserError(label + ": cannot be read (" + e.getMessage() + "); give an OVMF variables file");
    }
  }
}
