package io.vgapass.libvirt;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.ErrorCallback;
import org.libvirt.LibvirtException;
import org.libvirt.Network;

/**
 * {@link LibvirtPort} over libvirt-java 0.5.x (JNA bindings to {@code libvirt.so.0}).
 *
 * <p>Not thread-safe: one instance holds one read-write connection and is used from one thread (libvirt keeps the
 * last error per thread, and this class reads it right after each call). Open one port per thread if needed.
 *
 * <p>Every native handle ({@link Domain}, {@link Network}) is freed in a {@code finally} block rather than left to
 * finalization. libvirt's default error handler, which prints each error to the process's standard error, is
 * replaced process-wide by a no-op the first time this class is loaded: errors reach the user once, as a
 * {@link LibvirtFailure}.
 */
public final class LibvirtJavaPort implements LibvirtPort {

  /** VIR_DOMAIN_UNDEFINE_NVRAM: libvirt-java 0.5.4 has no constant for it. */
  static final int UNDEFINE_NVRAM = 4;
  /** VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA | VIR_DOMAIN_UNDEFINE_NVRAM. */
  static final int UNDEFINE_FLAGS = 1 | 2 | UNDEFINE_NVRAM;
  /** VIR_DOMAIN_AFFECT_LIVE. */
  static final int AFFECT_LIVE = 1;
  /** VIR_DOMAIN_XML_INACTIVE. */
  static final int XML_INACTIVE = 2;

  /**
   * Kept in a static field on purpose: JNA frees a callback's native trampoline once the Java object is garbage
   * collected, and libvirt would then call freed memory.
   */
  private static final ErrorCallback SILENT = new ErrorCallback();
  private static volatile boolean silenced;

  private static final Pattern NAME = Pattern.compile("<name>\\s*([^<]+?)\\s*</name>");

  private final String uri;
  private final Connect conn;
  private boolean closed;

  private LibvirtJavaPort(String uri, Connect conn) {
    this.uri = uri;
    this.conn = conn;
  }

  /**
   * Opens a read-write connection, e.g. to {@code qemu:///system} or {@code test:///default}.
   *
   * @throws LibvirtFailure when libvirt's library cannot be loaded or the URI cannot be reached; the message says
   *                        what to do (start libvirtd, join the libvirt group, install libvirt)
   */
  public static LibvirtJavaPort open(String uri) {
    Objects.requireNonNull(uri, "uri");
    try {
      silenceLibvirt();
      return new LibvirtJavaPort(uri, new Connect(uri, false));
    } catch (LibvirtException e) {
      throw connectFailure(uri, e);
    } catch (LinkageError e) {
      throw new LibvirtFailure("connect", uri, null, e.getMessage(),
          "cannot connect to " + uri + ": libvirt's C library (libvirt.so.0) cannot be loaded"
              + " (apt install libvirt0 / dnf install libvirt-libs): " + LibvirtFailure.oneLine(
              String.valueOf(e.getMessage())), e);
    }
  }

  /** Replaces libvirt's print-to-stderr error handler with a no-op, once per process. */
  static synchronized void silenceLibvirt() throws LibvirtException {
    if (!silenced) {
      Connect.setErrorCallback(SILENT);
      silenced = true;
    }
  }

  @Override
  public String uri() {
    return uri;
  }

  @Override
  public String libvirtVersion() {
    return call("version", null, () -> dotted(conn.getLibVersion()));
  }

  @Override
  public String hypervisorVersion() {
    return call("version", null, () -> dotted(conn.getVersion()));
  }

  @Override
  public List<String> domainNames() {
    return call("list", null, () -> {
      List<String> names = new ArrayList<>();
      Domain[] all = conn.listAllDomains(0);
      try {
        for (Domain d : all) {
          names.add(d.getName());
        }
      } finally {
        for (Domain d : all) {
          free(d);
        }
      }
      names.sort(null);
      return List.copyOf(names);
    });
  }

  @Override
  public Optional<DomainInfo> domain(String name) {
    try {
      return Optional.of(onDomain("dominfo", name, d -> {
        int id = d.getID();
        return new DomainInfo(d.getName(), d.getUUIDString(), state(d.getInfo().state), id);
      }));
    } catch (LibvirtFailure f) {
      if (LibvirtFailure.NO_DOMAIN.equals(f.code())) {
        return Optional.empty();
      }
      throw f;
    }
  }

  @Override
  public String domainXml(String name, boolean inactive) {
    return onDomain("dumpxml", name, d -> d.getXMLDesc(inactive ? XML_INACTIVE : 0));
  }

  @Override
  public String define(String xml) {
    Objects.requireNonNull(xml, "xml");
    return call("define", nameIn(xml), () -> {
      Domain d = conn.domainDefineXML(xml);
      try {
        return d.getName();
      } finally {
        free(d);
      }
    });
  }

  @Override
  public void undefine(String name) {
    onDomain("undefine", name, d -> {
      try {
        d.undefine(UNDEFINE_FLAGS);
      } catch (LibvirtException e) {
        if (!unsupportedFlags(e)) {
          throw e;
        }
        d.undefine(UNDEFINE_FLAGS & ~UNDEFINE_NVRAM);   // a driver without NVRAM (test://) refuses the flag
      }
      return null;
    });
  }

  @Override
  public void start(String name) {
    onDomain("start", name, d -> d.create());
  }

  @Override
  public void shutdown(String name) {
    onDomain("shutdown", name, d -> {
      d.shutdown();
      return null;
    });
  }

  @Override
  public void destroy(String name) {
    onDomain("destroy", name, d -> {
      d.destroy();
      return null;
    });
  }

  @Override
  public void attachDeviceLive(String name, String deviceXml) {
    Objects.requireNonNull(deviceXml, "deviceXml");
    onDomain("attach-device --live", name, d -> {
      d.attachDeviceFlags(deviceXml, AFFECT_LIVE);
      return null;
    });
  }

  @Override
  public void detachDeviceLive(String name, String deviceXml) {
    Objects.requireNonNull(deviceXml, "deviceXml");
    onDomain("detach-device --live", name, d -> {
      d.detachDeviceFlags(deviceXml, AFFECT_LIVE);
      return null;
    });
  }

  @Override
  public String defineNetwork(String xml) {
    Objects.requireNonNull(xml, "xml");
    return call("net-define", nameIn(xml), () -> {
      Network n = conn.networkDefineXML(xml);
      try {
        return n.getName();
      } finally {
        free(n);
      }
    });
  }

  @Override
  public boolean networkActive(String name) {
    return onNetwork("net-info", name, n -> n.isActive() == 1);
  }

  @Override
  public void startNetwork(String name) {
    onNetwork("net-start", name, n -> {
      n.create();
      return null;
    });
  }

  @Override
  public Optional<String> networkXml(String name) {
    try {
      return Optional.of(onNetwork("net-dumpxml", name, n -> n.getXMLDesc(0)));
    } catch (LibvirtFailure f) {
      if (LibvirtFailure.NO_NETWORK.equals(f.code())) {
        return Optional.empty();
      }
      throw f;
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      conn.close();
    } catch (LibvirtException ignored) {
      // closing is best effort: the daemon may already be gone
    }
  }

  // --- plumbing -------------------------------------------------------------------------------------------

  @FunctionalInterface
  private interface Call<T> {
    T run() throws LibvirtException;
  }

  @FunctionalInterface
  private interface OnDomain<T> {
    T run(Domain d) throws LibvirtException;
  }

  @FunctionalInterface
  private interface OnNetwork<T> {
    T run(Network n) throws LibvirtException;
  }

  private <T> T call(String operation, String subject, Call<T> body) {
    if (closed) {
      throw new LibvirtFailure(operation, subject, null, "the connection to " + uri + " is closed");
    }
    try {
      return body.run();
    } catch (LibvirtException e) {
      throw failure(operation, subject, e);
    }
  }

  private <T> T onDomain(String operation, String name, OnDomain<T> body) {
    Objects.requireNonNull(name, "name");
    return call(operation, name, () -> {
      Domain d = conn.domainLookupByName(name);
      try {
        return body.run(d);
      } finally {
        free(d);
      }
    });
  }

  private <T> T onNetwork(String operation, String name, OnNetwork<T> body) {
    Objects.requireNonNull(name, "name");
    return call(operation, name, () -> {
      Network n = conn.networkLookupByName(name);
      try {
        return body.run(n);
      } finally {
        free(n);
      }
    });
  }

  private static void free(Domain d) {
    if (d != null) {
      try {
        d.free();
      } catch (LibvirtException ignored) {
        // freeing a handle cannot meaningfully fail; nothing to tell the user
      }
    }
  }

  private static void free(Network n) {
    if (n != null) {
      try {
        n.free();
      } catch (LibvirtException ignored) {
        // as above
      }
    }
  }

  static LibvirtFailure failure(String operation, String subject, LibvirtException e) {
    return new LibvirtFailure(operation, subject, code(e), message(e),
        operation + (subject == null ? "" : " " + subject) + ": libvirt: "
            + LibvirtFailure.oneLine(message(e)), e);
  }

  static LibvirtFailure connectFailure(String uri, LibvirtException e) {
    String msg = message(e);
    String hint = connectHint(msg, System.getProperty("user.name"));
    return new LibvirtFailure("connect", uri, code(e), msg,
        "cannot connect to " + uri + ": " + hint + " [libvirt: " + LibvirtFailure.oneLine(msg) + "]", e);
  }

  /**
   * What to do about a refused connection. A user who is not root reaching the system daemon is refused by its access
   * check, which libvirt may word as a missing file: polkit's "Unable to get system bus connection ... No such file"
   * (no D-Bus), while libvirtd runs. That is said as what it is, root or the libvirt group, not "is libvirtd running?".
   */
  static String connectHint(String msg, String user) {
    String lower = msg.toLowerCase(Locale.ROOT);
    boolean root = "root".equals(user);
    String needsRoot = "connecting to the system libvirtd needs root or the 'libvirt' group, which " + user
        + " lacks: run it with sudo, or add the user to the group (sudo usermod -aG libvirt " + user
        + ", then log in again)";
    if (lower.contains("system bus") || lower.contains("polkit")) {
      return root ? "libvirtd's polkit access check needs the system D-Bus, which is not running: start dbus, "
          + "or set unix_sock_auth = \"none\" in /etc/libvirt/libvirtd.conf" : needsRoot;
    }
    if (lower.contains("permission denied") || lower.contains("authentication")
        || lower.contains("authorization") || lower.contains("access denied")) {
      return root ? "is your user in the 'libvirt' group? (sudo usermod -aG libvirt $USER, then log in again)"
          : needsRoot;
    }
    if (lower.contains("no such file") || lower.contains("connection refused")) {
      return "is libvirtd running? (sudo systemctl start libvirtd)";
    }
    return "check the URI and that libvirtd runs (sudo systemctl start libvirtd)";
  }

  /** The driver does not know a flag we passed ("unsupported flags (0x4) in function ..."). */
  private static boolean unsupportedFlags(LibvirtException e) {
    return "VIR_ERR_INVALID_ARG".equals(code(e)) && message(e).contains("unsupported flags");
  }

  private static String code(LibvirtException e) {
    try {
      return e.getError() == null || e.getError().getCode() == null ? null : e.getError().getCode().name();
    } catch (RuntimeException unknownCode) {
      return null;
    }
  }

  private static String message(LibvirtException e) {
    String m = e.getError() == null ? null : e.getError().getMessage();
    return m == null || m.isBlank() ? String.valueOf(e.getMessage()) : m;
  }

  static DomainInfo.State state(org.libvirt.DomainInfo.DomainState s) {
    if (s == null) {
      return DomainInfo.State.OTHER;
    }
    return switch (s) {
      case VIR_DOMAIN_RUNNING, VIR_DOMAIN_BLOCKED -> DomainInfo.State.RUNNING;
      case VIR_DOMAIN_PAUSED -> DomainInfo.State.PAUSED;
      case VIR_DOMAIN_SHUTOFF -> DomainInfo.State.SHUTOFF;
      default -> DomainInfo.State.OTHER;
    };
  }

  /** libvirt's packed version (major * 1,000,000 + minor * 1,000 + release) as "major.minor.release". */
  static String dotted(long v) {
    return (v / 1_000_000) + "." + (v / 1_000 % 1_000) + "." + (v % 1_000);
  }

  /** The {@code <name>} of a domain or network XML, for error messages; "(unnamed)" when there is none. */
  static String nameIn(String xml) {
    Matcher m = NAME.matcher(xml);
    return m.find() ? m.group(1) : "(unnamed)";
  }
}
