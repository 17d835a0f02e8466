package io.vgapass.cli;

import io.vgapass.apply.Applier;
import io.vgapass.apply.HostChange;
import io.vgapass.apply.SecureBootEnrollment;
import io.vgapass.apply.StepHook;
import io.vgapass.host.EfiCert;
import io.vgapass.host.EfiVarStore;
import io.vgapass.host.FileHolders;
import io.vgapass.host.MicrosoftCerts;
import io.vgapass.host.SecureBootKeys;
import io.vgapass.host.SysRoot;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "firmware",
    description = "A VM's UEFI variables (OVMF): the Secure Boot keys they hold, and Microsoft's 2023 certificates.",
    subcommands = {FirmwareCommand.Keys.class, FirmwareCommand.Enroll.class})
public final class FirmwareCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "keys", sortOptions = false,
      description = "Lists the certificates in PK, KEK and db of a variables file (a domain's own, or any OVMF_VARS "
          + "copy or template), Microsoft's by name, and which of the 2023 ones are missing.")
  static final class Keys implements Callable<Integer> {
    @Mixin VarsFile vars;
    @Mixin JsonOption json;
    @Mixin HostOptions host;
    @Mixin ConnectOption connect;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      VarsFile.Located f = vars.locate(host.sysRoot(), connect, false);
      SecureBootKeys k = f.keys();
      List<String> missing = missing(k);
      if (json.on) {
        out.println(Json.write(new KeysReport("/" + f.path(), k, missing)));
        return ExitCode.OK;
      }
      out.println("/" + f.path() + (f.domain() == null ? "" : " (domain " + f.domain() + ")"));
      printKeys(out, k);
      out.println(missing.isEmpty() ? "Microsoft's 2023 certificates: all present"
          : "missing Microsoft 2023 certificates: " + String.join(", ", missing)
              + " (vgapass firmware enroll adds them)");
      return ExitCode.OK;
    }
  }

  @Command(name = "enroll", sortOptions = false,
      description = {"Adds Microsoft's 2023 Secure Boot certificates (KEK: Microsoft Corporation KEK 2K CA 2023; "
          + "db: Windows UEFI CA 2023, Microsoft UEFI CA 2023, Microsoft Option ROM UEFI CA 2023) beside the keys "
          + "a VM's variables file holds, with the VM stopped. Existing keys stay; what is already there is not "
          + "added twice (a second run changes nothing).",
          "Through the host journal: --dry-run shows what would change, vgapass host undo restores the file byte "
              + "for byte. See docs/firmware.md."})
  static final class Enroll implements Callable<Integer> {
    @Mixin VarsFile vars;
    @Mixin DryRunOption dryRun;
    @Mixin JsonOption json;
    @Mixin HostOptions host;
    @Mixin ConnectOption connect;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      SysRoot root = host.sysRoot();
      VarsFile.Located f = vars.locate(root, connect, true);
      SecureBootEnrollment.Result r;
      try {
        r = SecureBootEnrollment.enroll(f.bytes());
      } catch (EfiVarStore.Malformed e) {
        throw new UserError(f.label() + ": not an OVMF variables file vgapass can read (" + e.getMessage()
            + "); nothing was changed");
      } catch (io.vgapass.apply.Refusal e) {
        throw new UserError(f.label() + ": " + e.getMessage() + "; nothing was changed");
      }
      // the template's bytes are the starting point when the domain's own file does not exist yet
      byte[] prior = f.exists() ? f.bytes() : null;
      HostChange.FileEdit change = SecureBootEnrollment.change(f.path(), prior, r);
      String before = prior == null ? null : sha256(prior);
      String after = sha256(r.next());
      if (change != null && !dryRun.on) {
        if (root.isLive() && !"root".equals(System.getProperty("user.name"))) {
          throw new UserError("vgapass firmware enroll rewrites /" + f.path() + ": run it as root, or with --dry-run");
        }
        List<String> holders = FileHolders.of(root, f.path());
        if (!holders.isEmpty()) {
          throw new UserError("/" + f.path() + " is open: " + String.join("; ", holders) + "; stop the VM first "
              + "(vgapass vm stop), then run again; nothing was changed");
        }
        new Applier(root, Applier.runnerFor(root), l -> { if (!json.on) out.println("vgapass: " + l); }, StepHook.NONE)
            .apply(List.of(change), Map.of("command", "firmware enroll", "file", "/" + f.path()));
      }
      if (json.on) {
        out.println(Json.write(new EnrollReport("/" + f.path(), f.domain(), change != null, dryRun.on,
            prior == null && change != null, r.addedKek(), r.addedDb(), before, after, r.after(), missing(r.after()))));
        return ExitCode.OK;
      }
      out.println("/" + f.path() + (f.domain() == null ? "" : " (domain " + f.domain() + ")")
          + (prior == null ? ": does not exist yet; " + (change == null ? "libvirt copies it from the template "
              : "made from the template ") + f.template() : ""));
      if (!r.changes()) {
        out.println("already holds Microsoft's 2023 certificates (KEK: " + String.join(", ", MicrosoftCerts.KEK_2023_SET)
            + "; db: " + String.join(", ", MicrosoftCerts.DB_2023_SET) + "); nothing to do");
      }
      if (!r.addedKek().isEmpty()) out.println((dryRun.on ? "would add to KEK: " : "added to KEK: ") + String.join(", ", r.addedKek()));
      if (!r.addedDb().isEmpty()) out.println((dryRun.on ? "would add to db: " : "added to db: ") + String.join(", ", r.addedDb()));
      if (change != null) {
        out.println("sha256 " + (prior == null ? "(new file)" : before) + " -> " + after);
        out.println("afterwards:");
        printKeys(out, r.after());
        out.println(dryRun.on ? "dry run: nothing was written" : "written (undo: vgapass host undo restores the file)");
      }
      return ExitCode.OK;
    }
  }

  static String sha256(byte[] b) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  static List<String> missing(SecureBootKeys k) {
    return Stream.concat(
        MicrosoftCerts.KEK_2023_SET.stream().filter(n -> !k.kekHas(n)).map(n -> "KEK: " + n),
        MicrosoftCerts.DB_2023_SET.stream().filter(n -> !k.dbHas(n)).map(n -> "db: " + n)).toList();
  }

  static void printKeys(PrintWriter out, SecureBootKeys k) {
    if (k.empty()) {
      out.println("  no Secure Boot keys (setup mode: Secure Boot is off with this file)");
      return;
    }
    out.println("  PK:  " + names(k.pk()));
    out.println("  KEK: " + names(k.kek()));
    out.println("  db:  " + names(k.db()) + (k.dbHashes() > 0 ? " + " + k.dbHashes() + " image hashes" : ""));
    out.println("  dbx: " + k.dbx() + " entries");
  }

  private static String names(List<EfiCert> certs) {
    if (certs.isEmpty()) return "(none)";
    return certs.stream().map(c -> c.microsoft() != null ? c.microsoft() : c.subjectCn())
        .collect(Collectors.joining(", "));
  }

  /** {@code firmware keys --json}. */
  record KeysReport(String file, SecureBootKeys keys, List<String> missing2023) {}

  /** {@code firmware enroll --json}. */
  record EnrollReport(String file, String domain, boolean changed, boolean dryRun, boolean created,
      List<String> addedKek, List<String> addedDb, String sha256Before, String sha256After, SecureBootKeys keys,
      List<String> missing2023) {}
}
