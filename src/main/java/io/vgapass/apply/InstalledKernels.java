package io.vgapass.apply;

import io.vgapass.host.SysRoot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The kernels installed on the host (not only the running one), each with the modules it ships
 * ({@code lib/modules/VERSION/modules.dep}) and the ones built into it ({@code modules.builtin}).
 *
 * <p>Read here because the Host model does not carry it yet; it belongs in {@code io.vgapass.host.Kernel}
 * later.
 */
public record InstalledKernels(List<Installed> kernels) {

  /** One installed kernel; module names normalised to underscores ("vfio_pci"). */
  public record Installed(String version, Set<String> modules, Set<String> builtin) {
    public boolean has(String module) {
      String m = norm(module);
      return modules.contains(m) || builtin.contains(m);
    }

    public boolean isBuiltin(String module) {
      return builtin.contains(norm(module));
    }

    public boolean isModule(String module) {
      return modules.contains(norm(module));
    }
  }

  static final List<String> MODULE_DIRS = List.of("usr/lib/modules", "lib/modules");

  public static InstalledKernels read(SysRoot root) {
    Map<String, Installed> found = new LinkedHashMap<>();
    for (String dir : MODULE_DIRS) {
      for (String version : root.list(dir)) {
        if (found.containsKey(version)) continue;
        String base = dir + "/" + version + "/";
        if (!root.exists(base + "modules.dep") && !root.exists(base + "modules.builtin")) continue;
        found.put(version, new Installed(version, names(root.lines(base + "modules.dep"), true),
            names(root.lines(base + "modules.builtin"), false)));
      }
    }
    List<Installed> list = new ArrayList<>(found.values());
    list.sort((a, b) -> compareVersions(a.version(), b.version()));
    return new InstalledKernels(List.copyOf(list));
  }

  public List<String> versions() {
    return kernels.stream().map(Installed::version).toList();
  }

  public boolean isEmpty() {
    return kernels.isEmpty();
  }

  /** In every installed kernel, as a module or built in. */
  public boolean everywhere(String module) {
    return !kernels.isEmpty() && kernels.stream().allMatch(k -> k.has(module));
  }

  public boolean builtinAnywhere(String module) {
    return kernels.stream().anyMatch(k -> k.isBuiltin(module));
  }

  public boolean moduleAnywhere(String module) {
    return kernels.stream().anyMatch(k -> k.isModule(module));
  }

  public boolean builtinEverywhere(String module) {
    return !kernels.isEmpty() && kernels.stream().allMatch(k -> k.isBuiltin(module));
  }

  /** The kernels that lack the module altogether. */
  public List<String> without(String module) {
    return kernels.stream().filter(k -> !k.has(module)).map(Installed::version).toList();
  }

  static String norm(String module) {
    return module.replace('-', '_');
  }

  /** "kernel/drivers/vfio/pci/vfio-pci.ko.zst: kernel/..." -> vfio_pci (dep) or the same without deps (builtin). */
  private static Set<String> names(List<String> lines, boolean dep) {
    Set<String> out = new TreeSet<>();
    for (String line : lines) {
      String path = dep ? line.split(":", 2)[0].trim() : line.trim();
      if (path.isEmpty()) continue;
      String file = path.substring(path.lastIndexOf('/') + 1);
      int ko = file.indexOf(".ko");
      if (ko <= 0) continue;
      out.add(norm(file.substring(0, ko)));
    }
    return out;
  }

  /** Numeric-aware ordering, so 6.10 sorts after 6.9. */
  static int compareVersions(String a, String b) {
    String[] x = a.split("[.\\-_+~]");
    String[] y = b.split("[.\\-_+~]");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      boolean nx = x[i].matches("\\d{1,9}");
      boolean ny = y[i].matches("\\d{1,9}");
      int c = nx && ny ? Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i])) : x[i].compareTo(y[i]);
      if (c != 0) return c;
    }
    return Integer.compare(x.length, y.length);
  }
}
