package io.vgapass.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The POSIX shell dispatcher libvirt runs for every QEMU domain event. It reads the domain XML
 * libvirt passes on stdin, runs a hook that was there before vgapass (kept beside it), and
 * starts Java only when the XML carries vgapass metadata, so other VMs pay one shell and a
 * string match.
 */
public final class HookScript {
  public static final String MARKER = "# vgapass qemu hook dispatcher";
  public static final String NAMESPACE = "https://vgapass.io/xmlns/libvirt/domain/1.0";

  /** The shell's own release and prepare (release.sh, prepare.sh beside this class), in files so they can be read and linted. */
  private static final String RELEASE = resource("release.sh");
  private static final String PREPARE = resource("prepare.sh");

  private HookScript() {}

  private static String resource(String name) {
    try (InputStream in = HookScript.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("the jar lacks io/vgapass/runtime/" + name + " (rebuild vgapass)", e);
    }
  }

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
    String run = "'" + java + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData " + launch + " hook qemu \"$@\"";
    StringBuilder b = new StringBuilder("#!/bin/sh\n")
        .append(MARKER).append(" (written by vgapass hooks install; remove with vgapass hooks uninstall)\n")
        .append("# libvirt calls: qemu DOMAIN OPERATION SUB-OPERATION EXTRA, with the domain XML on stdin.\n");
    if (previous != null) {
      b.append("xml=$(cat)\n")
          .append("if [ -x '").append(previous).append("' ]; then\n")
          .append("  printf '%s\\n' \"$xml\" | '").append(previous).append("' \"$@\" || exit $?\n")
          .append("fi\n");
    }
    // vgapass acts on two events only; the others cost one shell and no process
    // (libvirt ignores a hook that exits without reading its stdin)
    b.append(RELEASE).append(PREPARE);
    b.append("case \"$2/$3\" in\n")
        .append("  prepare/begin)\n");
    if (previous != null) {
      b.append("    case \"$xml\" in *'").append(NAMESPACE).append("'*) ;; *) exit 0 ;; esac\n")
          .append("    printf '%s\\n' \"$xml\" | ").append(run).append("\n");
    } else {
      // libvirt writes <metadata> before <memory>, one element per line: read up to there with
      // the shell's own read (no cat for a VM that is not ours), then hand Java the whole XML
      b.append("    head=\n")
          .append("    while IFS= read -r line || [ -n \"$line\" ]; do\n")
          .append("      head=\"$head$line\n\"\n")
          .append("      case \"$line\" in\n")
          .append("        *'").append(NAMESPACE).append("'*)\n")
          .append("          # ours: keep our element's text (from its line on) for the shell's own prepare\n")
          .append("          meta=$line\n")
          .append("          case \"$line\" in *':vm>'*) ;; *)\n")
          .append("            while IFS= read -r line || [ -n \"$line\" ]; do\n")
          .append("              head=\"$head$line\n\"\n")
          .append("              meta=\"$meta\n$line\"\n")
          .append("              case \"$line\" in *':vm>'*) break ;; esac\n")
          .append("              line=\n")
          .append("            done ;;\n")
          .append("          esac\n")
          .append("          break ;;\n")
          .append("        *'<memory '*|*'<memory>'*|*'</metadata>'*) exit 0 ;;\n")
          .append("      esac\n")
          .append("      line=\n")
          .append("    done\n")
          .append("    case \"$head\" in *'").append(NAMESPACE).append("'*) ;; *) exit 0 ;; esac\n")
          .append("    vgapass_prepare \"$1\" \"$meta\"; rc=$?\n")
          .append("    [ $rc -eq 2 ] || exit $rc # done (0), or refused with the reason on stderr (1)\n")
          .append("    { printf '%s' \"$head\"; cat; } | ").append(run).append("\n");
    }
    b.append("    exit $? ;; # a failed prepare makes libvirt refuse the start, with our message\n")
        .append("  release/end)\n")
        .append("    # only a VM whose prepare recorded changes has anything to undo; the shell undoes the\n")
        .append("    # simple kinds itself (no JVM on the stop path), Java the rest\n")
        .append("    case \"$1\" in ''|*/*) exit 0 ;; esac # prepare refused such a name: nothing to undo\n")
        .append("    state=\"${VGAPASS_ROOT:-}/run/vgapass/$1.state\"\n")
        .append("    [ -e \"$state\" ] || [ -L \"$state\" ] || exit 0\n")
        .append("    vgapass_release \"$state\" && exit 0\n")
        .append("    ").append(run).append(" < /dev/null\n")
        .append("    exit $? ;;\n")
        .append("esac\n")
        .append("exit 0\n");
    return b.toString();
  }

}
