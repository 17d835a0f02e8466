package io.vgapass.runtime;

/**
 * The POSIX shell dispatcher libvirt runs for every QEMU domain event. It reads the domain XML
 * libvirt passes on stdin, runs a hook that was there before vgapass (kept beside it), and
 * starts Java only when the XML carries vgapass metadata, so other VMs pay one shell and a
 * string match.
 */
public final class HookScript {
  public static final String MARKER = "# vgapass qemu hook dispatcher";
  public static final String NAMESPACE = "https://vgapass.io/xmlns/libvirt/domain/1.0";

  private HookScript() {}

  /** The java arguments that run vgapass from an installed jar, with its class-data archive. */
  public static String jarLaunch(String jar, String archive) {
    return (archive == null ? "" : "-XX:SharedArchiveFile='" + archive + "' -Xlog:disable -Xlog:all=off ")
        + "-jar '" + jar + "'";
  }

  /** The java arguments that run vgapass from a class path (tests run before the jar exists). */
  public static String classpathLaunch(String classpath) {
    return "-cp '" + classpath + "' io.vgapass.cli.Main";
  }

  /**
   * @param java the java binary to run
   * @param launch {@link #jarLaunch} or {@link #classpathLaunch}
   * @param previous the hook that was installed before vgapass, or null
   */
  public static String render(String java, String launch, String previous) {
    return "#!/bin/sh\n"
        + MARKER + " (written by vgapass hooks install; remove with vgapass hooks uninstall)\n"
        + "# libvirt calls: qemu DOMAIN OPERATION SUB-OPERATION EXTRA, with the domain XML on stdin.\n"
        + "xml=$(cat)\n"
        + (previous == null ? "" : "if [ -x '" + previous + "' ]; then\n"
            + "  printf '%s\\n' \"$xml\" | '" + previous + "' \"$@\" || exit $?\n"
            + "fi\n")
        + "case \"$2/$3\" in prepare/begin|release/end) ;; *) exit 0 ;; esac # vgapass acts on these two only\n"
        + "case \"$xml\" in\n"
        + "  *'" + NAMESPACE + "'*)\n"
        + "    printf '%s\\n' \"$xml\" | '" + java + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData"
        + " " + launch + " hook qemu \"$@\"\n"
        + "    exit $? ;; # a failed prepare makes libvirt refuse the start, with our message\n"
        + "esac\n"
        + "exit 0\n";
  }
}
