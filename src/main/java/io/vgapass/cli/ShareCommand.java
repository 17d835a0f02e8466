package io.vgapass.cli;

import io.vgapass.apply.Diffs;
import io.vgapass.apply.HostChange;
import io.vgapass.domain.DomainWriter;
import io.vgapass.domain.FilesystemShare;
import io.vgapass.domain.XmlDoc;
import io.vgapass.host.Printable;
import io.vgapass.host.SysRoot;
import io.vgapass.libvirt.LibvirtPort;
import io.vgapass.plan.NicSpec;
import io.vgapass.share.HostOnlySubnet;
import io.vgapass.share.SambaConf;
import io.vgapass.share.SambaShares;
import io.vgapass.share.ShareNames;
import io.vgapass.share.ShareStatus;
import io.vgapass.share.SmbShare;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "share", description = "Share a host folder with the guest.",
    subcommands = {ShareCommand.Setup.class, ShareCommand.Status.class, ShareCommand.Remove.class})
public final class ShareCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  enum Via { smb, virtiofs }

  @Command(name = "setup", sortOptions = false,
      description = {"smb (default, what Windows uses natively): a Samba share served only on loopback and the "
          + "host-only network (vgapass net setup), for one dedicated account with a generated password (shown once, "
          + "kept root-only), SMB2 or later, no guest access; smb.conf, the account and the password go through the "
          + "host journal (share remove or host undo take them back).",
          "virtiofs (Linux guests; Windows with virtio-win's virtiofs service and WinFsp): a <filesystem> in the "
              + "domain's definition plus the shared memory backing it needs (next start)."})
  static final class Setup implements Callable<Integer> {
    @Mixin DomainOption domain;
    @Option(names = "--path", required = true, paramLabel = "DIR", description = "The host folder.") Path path;
    @Option(names = "--name", paramLabel = "SHARE", description = "The share name (virtiofs: the mount tag); "
        + "default: the folder's name.") String name;
    @Option(names = "--readonly", description = "smb: the guest may read, not write.") boolean readOnly;
    @Option(names = "--via", paramLabel = "smb|virtiofs", defaultValue = "smb",
        description = "smb (default) or virtiofs.") Via via;
    @Option(names = "--hostonly", paramLabel = "NAME", defaultValue = NicSpec.DEFAULT_HOSTONLY,
        description = "smb: the host-only network to serve on (default ${DEFAULT-VALUE}).") String hostonly;
    @Mixin DryRunOption dryRun;
    @Mixin RootDirOption sysroot;
    @Mixin ConnectOption connect;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      Path dir = path.toAbsolutePath().normalize();
      if (dir.toString().chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        // smb.conf is line-based: a newline in the path would write lines of its own into the file
        throw new UserError("--path " + Printable.of(path.toString())
            + ": the folder's name holds a control character (a newline?); rename the folder or share a parent "
            + "without one");
      }
      if (via == Via.smb) {
        // smb.conf: Samba substitutes %U and the like in values, and the domain is named in the share's comment
        for (String[] v : new String[][] {{"--path", dir.toString()}, {"--domain", domain.name}}) {
          String problem = SambaConf.valueProblem(v[1]);
          if (problem != null) {
            throw new UserError(v[0] + " " + Printable.of(v[1]) + ": " + problem
                + "; rename it, or share with --via virtiofs");
          }
        }
      }
      if (!Files.exists(dir)) throw new UserError("--path " + path + ": no such directory; create it first (mkdir -p "
          + dir + ")");
      if (!Files.isDirectory(dir)) throw new UserError("--path " + path + ": not a directory; give the folder to share");
      if (readOnly && via == Via.virtiofs) {
        // libvirt (9.0 at least) refuses <readonly/> on virtiofs: "virtiofs does not yet support read-only mode"
        throw new UserError("--readonly: libvirt's virtiofs has no read-only mode; share read-only with --via smb, "
            + "or mount it read-only in the guest (mount -t virtiofs -o ro TAG /mnt)");
      }
      String share = name != null ? name : dir.getFileName() == null ? "" : dir.getFileName().toString();
      String problem = via == Via.smb ? ShareNames.problem(share) : tagProblem(share);
      if (problem != null) {
        throw new UserError((name != null ? "--name " : "the share name (from --path) ") + share + " " + problem
            + ": give --name with letters, digits, '-' or '_'");
      }
      try (LibvirtPort port = connect.open()) {
        DomainEdit edit = DomainEdit.read(port, domain.name, connect.uri);
        return via == Via.smb ? smb(port, out, dir, share) : virtiofs(port, out, edit, dir, share);
      }
    }

    private int smb(LibvirtPort port, PrintWriter out, Path dir, String share) throws IOException {
      SysRoot root = sysroot.root();
      String netXml = port.networkXml(hostonly).orElseThrow(() -> new UserError("--hostonly " + hostonly
          + ": no such network on " + connect.uri + "; create it first: vgapass net setup --domain " + domain.name));
      HostOnlySubnet net = HostOnlySubnet.parse(hostonly, netXml);
      String owner = Files.getOwner(dir).getName();
      if (owner.equals("root")) {
        throw new UserError("--path " + dir + " belongs to root; the share writes as the folder's owner, and root "
            + "must not be that: give a folder a user owns (chown USER " + dir + ")");
      }
      String account = SambaShares.accountFor(SambaShares.latin1(SambaShares.readConf(root)), domain.name);
      SmbShare s = new SmbShare(domain.name, share, dir.toString(), readOnly, account, owner,
          "lo " + net.bridge(), "127.0.0.1 " + net.cidr(), net.hostAddress());
      SambaShares.Setup setup = SambaShares.setup(root, s, new SecureRandom());
      show(out, setup.changes());
      if (setup.changes().isEmpty()) {
        out.println("the share [" + share + "] of " + domain.name + " is already in place");
      } else if (dryRun.on) {
        out.println("dry run: nothing was changed");
        return ExitCode.OK;
      } else {
        HostEdits.apply(root, out, setup.changes(), Map.of("command", "share setup", "domain", domain.name));
      }
      if (setup.password() != null) {
        out.println("password of " + s.user() + ": " + setup.password() + "   (shown once; root can read /"
            + setup.secretFile() + ")");
      } else {
        out.println("the account " + s.user() + " keeps its password (root can read /" + setup.secretFile() + ")");
      }
      out.println("in the guest: " + s.netUse());
      NextStep.print(out, "systemctl restart smbd   (Samba binds its interfaces when it starts)");
      return ExitCode.OK;
    }

    private int virtiofs(LibvirtPort port, PrintWriter out, DomainEdit edit, Path dir, String tag) {
      XmlDoc doc = edit.doc();
      List<FilesystemShare> shares = new ArrayList<>();
      for (FilesystemShare f : DomainWriter.shares(doc)) if (!f.tag().equals(tag)) shares.add(f);
      shares.add(new FilesystemShare(dir.toString(), tag, readOnly));
      DomainWriter.share(doc, shares);
      String note = SchemaCheck.validate(doc);
      if (!edit.changed()) {
        out.println("the virtiofs share " + tag + " of " + domain.name + " is already in place");
      } else if (dryRun.on) {
        out.print(doc.serialize());
        out.println("dry run: the domain was not redefined" + (note == null ? "" : "; " + note));
        return ExitCode.OK;
      } else {
        port.define(doc.serialize());
        out.println("added the virtiofs share " + tag + " (" + dir + ") to " + domain.name + "; takes effect at its "
            + "next start" + (note == null ? " (valid against libvirt's schema)" : "; " + note));
      }
      out.println("in a Linux guest: mount -t virtiofs " + tag + " /mnt   (fstab: " + tag
          + " /mnt virtiofs defaults 0 0)");
      out.println("in a Windows guest: virtio-win's VirtIO-FS service with WinFsp shows it as a drive");
      if (edit.changed()) NextStep.print(out, NextStep.start(port, domain.name));
      return ExitCode.OK;
    }

    private String tagProblem(String tag) {
      if (tag.isEmpty()) return "is empty";
      if (tag.getBytes(StandardCharsets.UTF_8).length > FilesystemShare.MAX_TAG) {
        return "is longer than " + FilesystemShare.MAX_TAG + " bytes (virtiofs's tag)";
      }
      if (!tag.matches("[A-Za-z0-9_.-]+")) return "has characters a mount tag should not";
      return null;
    }
  }

  static void show(PrintWriter out, List<HostChange> changes) {
    for (HostChange c : changes) {
      if (c instanceof HostChange.FileEdit f) out.print(Diffs.unified(f));
      else if (c instanceof HostChange.Command cmd) out.println("run: " + cmd.display() + "   (" + cmd.why() + ")");
    }
  }

  @Command(name = "status", description = "The domain's shares (smb and virtiofs).")
  static final class Status implements Callable<Integer> {
    @Mixin DomainOption domain;
    @Mixin JsonOption json;
    @Mixin RootDirOption sysroot;
    @Mixin ConnectOption connect;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      List<FilesystemShare> fs;
      try (LibvirtPort port = connect.open()) {
        fs = DomainWriter.shares(DomainEdit.read(port, domain.name, connect.uri).doc());
      }
      ShareStatus status = ShareStatus.read(sysroot.root(), domain.name, fs);
      if (json.on) {
        out.println(Json.write(status));
        return ExitCode.OK;
      }
      ShareStatus.Smb smb = status.smb();
      if (smb == null && fs.isEmpty()) {
        out.println(domain.name + ": no vgapass shares (vgapass share setup --domain " + domain.name + " --path DIR)");
        return ExitCode.OK;
      }
      if (smb != null) {
        out.println("smb: [" + smb.name() + "] " + smb.path() + (smb.readOnly() ? " (read-only)" : "") + " for "
            + smb.user() + " from " + smb.hostsAllow()
            + (smb.passwordFile() != null ? "; password in " + smb.passwordFile() : "; no password file"));
      }
      for (ShareStatus.Virtiofs f : status.virtiofs()) {
        out.println("virtiofs: " + f.tag() + " -> " + f.path() + (f.readOnly() ? " (read-only)" : ""));
      }
      return ExitCode.OK;
    }
  }

  @Command(name = "remove",
      description = "Take the domain's shares away: its smb.conf section (and vgapass's global lines with the last "
          + "share, leaving smb.conf byte for byte as before), the account and password, its virtiofs filesystems.")
  static final class Remove implements Callable<Integer> {
    @Mixin DomainOption domain;
    @Mixin DryRunOption dryRun;
    @Mixin RootDirOption sysroot;
    @Mixin ConnectOption connect;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      SysRoot root = sysroot.root();
      try (LibvirtPort port = connect.open()) {
        XmlDoc doc = DomainEdit.read(port, domain.name, connect.uri).doc();
        boolean virtiofs = !DomainWriter.shares(doc).isEmpty();
        List<HostChange> changes = root.fileOrNull(SambaShares.CONF) != null
            ? SambaShares.remove(root, domain.name) : List.of();
        if (!virtiofs && changes.isEmpty()) {
          out.println(domain.name + ": no vgapass shares to remove");
          return ExitCode.OK;
        }
        show(out, changes);
        if (dryRun.on) {
          out.println("dry run: nothing was changed");
          return ExitCode.OK;
        }
        if (!changes.isEmpty()) {
          HostEdits.apply(root, out, changes, Map.of("command", "share remove", "domain", domain.name));
          out.println("removed the Samba share of " + domain.name + " (vgapass host undo puts it back)");
        }
        if (virtiofs) {
          DomainWriter.share(doc, List.of());
          port.define(doc.serialize());
          out.println("removed the virtiofs shares of " + domain.name + " (next start)");
        }
      }
      return ExitCode.OK;
    }
  }
}
