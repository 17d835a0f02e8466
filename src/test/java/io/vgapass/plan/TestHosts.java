package io.vgapass.plan;

import io.vgapass.host.Host;
import io.vgapass.host.HostReader;
import io.vgapass.host.SysRoot;
import io.vgapass.host.sketch.HostSketch;
import io.vgapass.testing.HostFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The fixture hosts of the planner and domain tests: host sketches under
 * src/test/resources/io/vgapass/plan/hosts/ (written for these tests; each says what it models),
 * plus the built-in reference machine. Each is written to a temporary sysroot once per JVM.
 */
public final class TestHosts {
  /** The built-in reference machine (i5-4690, GTX 1060 + HD 4600, Fedora 27, libvirt 3.7, IOMMU off). */
  public static final String REFERENCE = "reference";
  /** The reference hardware on Debian 12: IOMMU on, libvirt 9.0, OVMF descriptors, cgroup v2. */
  public static final String MODERN = "modern-h97";
  /** Two sockets x 8 cores x 2 threads, two NUMA nodes, the guest's GPU on node 1. */
  public static final String TWO_NODE = "two-node";
  /** Ryzen 5 3600: 6 cores / 12 threads in two CCXs (two L3s), libvirt 8.0. */
  public static final String AMD_2CCX = "amd-2ccx";
  /** i7-8700 with 16 x 1 GiB hugepages reserved at boot, a four-function RTX 2070. */
  public static final String GIG_PAGES = "gig-pages";
  /** The guest's GPU shares its IOMMU group with a NIC and the SATA controller. */
  public static final String SHARED_GROUP = "shared-group";
  /** The only GPU is the boot VGA. */
  public static final String ONLY_DISPLAY = "only-display";
  /** Two isolated discrete GPUs plus the host's iGPU. */
  public static final String TWO_GPUS = "two-gpus";
  /** Two identical cards: their ids cannot tell vfio-pci which one to take. */
  public static final String TWIN_GPUS = "twin-gpus";
  /** 2 cores without SMT, like the integration-test machine. */
  public static final String TWO_CPU = "two-cpu";

  /** Hosts on which a plan succeeds with defaults. */
  public static final List<String> PLANNABLE = List.of(REFERENCE, MODERN, TWO_NODE, AMD_2CCX, GIG_PAGES, TWO_CPU);

  private static final Map<String, Path> ROOTS = new ConcurrentHashMap<>();
  private static final Map<String, Host> HOSTS = new ConcurrentHashMap<>();

  private TestHosts() {}

  /** The host read back from its sysroot (cached). */
  public static Host host(String name) {
    return HOSTS.computeIfAbsent(name, n -> HostReader.read(new SysRoot(root(n))));
  }

  /** The sketch's sysroot directory, for --sysroot. */
  public static Path root(String name) {
    return ROOTS.computeIfAbsent(name, TestHosts::materialize);
  }

  public static HostSketch sketch(String name) {
    return HostSketch.parse(name, text(name));
  }

  /** The sketch's text. */
  public static String text(String name) {
    return name.equals(REFERENCE) ? HostFixtures.text(HostFixtures.Folder.BUILT_IN, "reference-h97")
        : HostFixtures.text(HostFixtures.Folder.PLANNER, name);
  }

  /** A fixture host with its sketch edited (cached under {@code key}): one fact changed for one test. */
  public static Host edited(String key, String base, java.util.function.UnaryOperator<String> edit) {
    return HOSTS.computeIfAbsent(key, k -> fromText(k, edit.apply(text(base))));
  }

  /** Writes a sketch given as text to a fresh temporary root and reads it (not cached). */
  public static Host fromText(String name, String sketch) {
    try {
      Path dir = Files.createTempDirectory("vgapass-host-" + name + "-");
      deleteOnExit(dir);
      return HostReader.read(new SysRoot(HostFixtures.write(name, sketch, dir)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The plan with every default for the host. */
  public static Plan plan(String name) {
    return Planner.plan(host(name), Intent.defaults());
  }

  private static Path materialize(String name) {
    try {
      Path dir = Files.createTempDirectory("vgapass-host-" + name + "-");
      deleteOnExit(dir);
      return HostFixtures.write(name, text(name), dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteOnExit(Path dir) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // best effort
      }
    }));
  }
}
