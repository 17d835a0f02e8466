package io.vgapass.runtime;

import io.vgapass.host.DeviceIdentity;
import io.vgapass.host.PciAddress;
import io.vgapass.host.SysRoot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Brings back a card that failed to reset or to return to the host after a VM, without a reboot when the kernel can:
 * unbind its functions, reset each by the methods the kernel offers ({@code reset_method}, tried in that order when
 * {@code reset} is written), remove them and rescan the bridge above, then let the host drivers take them. It first
 * makes sure nobody holds the card, and says plainly when only a reboot will do.
 */
public final class GpuRecovery {
  /** One step as it went: its name (unbind, reset, remove, rescan, rebind, check), whether it worked, and what was seen. */
  public record Step(String step, boolean ok, String detail) {}

  /**
   * @param recovered every function is back on the bus with a readable config space
   * @param verdict one sentence: back on which drivers, or why only a reboot will do
   */
  public record Outcome(String address, boolean recovered, List<Step> steps, String verdict) {}

  /** Writes a kernel file (a seam: the unit tests' fake kernel removes and re-adds devices as sysfs does). */
  public interface Kernel {
    void write(String relative, String value);
  }

  private final SysRoot root;
  private final GpuHandover handover;
  private final Kernel kernel;
  private final long waitMillis;

  public GpuRecovery(SysRoot root, Commands commands) {
    this(root, commands, new SysFiles(root)::write, root.isLive() ? 10_000 : 0);
  }

  public GpuRecovery(SysRoot root, Commands commands, Kernel kernel, long waitMillis) {
    this.root = root;
    this.handover = new GpuHandover(root, commands);
    this.kernel = kernel;
    this.waitMillis = waitMillis;
  }

  /** Recovers the card ({@code dryRun}: lists what it would write, writes nothing). */
  public Outcome recover(PciAddress card, boolean dryRun) {
    List<GpuHandover.FunctionState> fs = handover.status(card);
    List<String> held = new ArrayList<>();
    for (GpuHandover.FunctionState f : fs) for (String h : f.holders()) held.add(f.address() + ": " + h);
    if (!held.isEmpty()) {
      throw new HookFailure("refused to recover " + card + ": the card is in use (" + String.join("; ", held)
          + "); close those programs or stop the VM (vgapass vm stop NAME), then run again; nothing was changed");
    }
    List<String> functions = fs.stream().map(GpuHandover.FunctionState::address).toList();
    DeviceIdentity first = DeviceIdentity.read(root, PciAddress.parse(functions.get(0)));
    List<String> bridges = first == null ? List.of() : first.bridges();
    String rescan = bridges.isEmpty() ? "sys/bus/pci/rescan"
        : "sys/bus/pci/devices/" + bridges.get(bridges.size() - 1) + "/rescan";
    List<Step> steps = new ArrayList<>();

    for (GpuHandover.FunctionState f : fs) {
      String dir = "sys/bus/pci/devices/" + f.address();
      List<String> writes = new ArrayList<>();
      if (f.driverOverride() != null) writes.add(dir + "/driver_override=\n");
      if (f.driver() != null) writes.add(dir + "/driver/unbind=" + f.address());
      String done = write(writes, dryRun);
      steps.add(new Step("unbind", done == null, f.address() + (f.driver() == null ? " had no driver" : " from "
          + f.driver()) + (f.driverOverride() == null ? "" : ", override " + f.driverOverride() + " cleared")
          + (done == null ? "" : ": " + done)));
    }
    for (String f : functions) steps.add(reset(f, dryRun));
    List<String> removes = new ArrayList<>();
    for (int i = functions.size() - 1; i >= 0; i--) removes.add("sys/bus/pci/devices/" + functions.get(i) + "/remove=1");
    String removed = write(removes, dryRun);
    steps.add(new Step("remove", removed == null, String.join(", ", functions) + " removed from the PCI bus"
        + (removed == null ? "" : ": " + removed)));
    String rescanned = write(List.of(rescan + "=1"), dryRun);
    boolean back = dryRun || waitFor(() -> functions.stream().allMatch(f -> root.exists("sys/bus/pci/devices/" + f)));
    steps.add(new Step("rescan", rescanned == null && back, "/" + rescan + (rescanned != null ? ": " + rescanned
        : back ? ": " + String.join(", ", functions) + " found again" : ": " + missing(functions) + " did not come back")));
    if (dryRun) {
      steps.add(new Step("rebind", true, "drivers_probe for each function without a driver"));
      return new Outcome(card.toString(), false, steps, "dry run: nothing was written");
    }

    Map<String, String> drivers = new TreeMap<>();
    for (String f : functions) {
      if (!root.exists("sys/bus/pci/devices/" + f)) continue;
      if (driver(f) == null) write(List.of("sys/bus/pci/drivers_probe=" + f), false);
    }
    waitFor(() -> functions.stream().filter(f -> root.exists("sys/bus/pci/devices/" + f)).allMatch(f -> driver(f) != null));
    for (String f : functions) if (root.exists("sys/bus/pci/devices/" + f)) drivers.put(f, driver(f));
    steps.add(new Step("rebind", drivers.values().stream().allMatch(d -> d != null), String.join(", ",
        drivers.entrySet().stream().map(e -> e.getKey() + " on " + (e.getValue() == null ? "no driver" : e.getValue()))
            .toList())));

    List<String> dead = new ArrayList<>();
    for (String f : functions) {
      String vendor = root.read("sys/bus/pci/devices/" + f + "/vendor").orElse("");
      if (!root.exists("sys/bus/pci/devices/" + f)) dead.add(f + " is gone from the bus");
      else if (vendor.trim().equalsIgnoreCase("0xffff")) dead.add(f + " answers 0xffff (its config space is unreadable)");
    }
    steps.add(new Step("check", dead.isEmpty(), dead.isEmpty() ? "every function answers with its ids"
        : String.join("; ", dead)));
    if (!dead.isEmpty()) {
      return new Outcome(card.toString(), false, steps, "only a host reboot will bring " + card + " back: "
          + String.join("; ", dead) + " after reset, remove and rescan");
    }
    List<String> without = drivers.entrySet().stream().filter(e -> e.getValue() == null).map(Map.Entry::getKey).toList();
    return new Outcome(card.toString(), true, steps, card + " is back: " + String.join(", ", drivers.entrySet().stream()
        .map(e -> e.getKey() + " on " + (e.getValue() == null ? "no driver" : e.getValue())).toList())
        + (without.isEmpty() ? "" : " (no host driver took " + String.join(", ", without) + ": load its module)"));
  }

  /** Resets one function the way the kernel offers: writing {@code reset} tries {@code reset_method} in its order. */
  private Step reset(String f, boolean dryRun) {
    String dir = "sys/bus/pci/devices/" + f;
    if (!root.exists(dir + "/reset")) {
      return new Step("reset", true, f + ": the kernel offers no reset for it (no reset file); skipped");
    }
    String methods = root.read(dir + "/reset_method").map(String::trim).orElse("");
    String order = methods.isEmpty() ? "the kernel's default order" : "methods in order: " + methods;
    String failed = write(List.of(dir + "/reset=1"), dryRun);
    return new Step("reset", failed == null, f + (failed == null ? " reset (" + order + ")"
        : ": the kernel could not reset it (" + order + "): " + failed));
  }

  /** Writes "file=value" entries in order; returns the first failure, or null. */
  private String write(List<String> writes, boolean dryRun) {
    if (dryRun) return null;
    for (String w : writes) {
      int eq = w.indexOf('=');
      try {
        kernel.write(w.substring(0, eq), w.substring(eq + 1));
      } catch (HookFailure e) {
        return e.getMessage();
      }
    }
    return null;
  }

  private String driver(String f) {
    return root.linkNameAt(root.resolve("sys/bus/pci/devices/" + f + "/driver")).orElse(null);
  }

  private String missing(List<String> functions) {
    return String.join(", ", functions.stream().filter(f -> !root.exists("sys/bus/pci/devices/" + f)).toList());
  }

  private boolean waitFor(java.util.function.BooleanSupplier done) {
    long end = System.currentTimeMillis() + waitMillis;
    while (!done.getAsBoolean()) {
      if (System.currentTimeMillis() >= end) return false;
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
