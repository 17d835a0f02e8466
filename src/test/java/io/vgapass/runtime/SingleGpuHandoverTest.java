package io.vgapass.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vgapass.domain.VgapassMetadata;
import io.vgapass.host.SysRoot;
import io.vgapass.plan.ShieldMode;
import io.vgapass.plan.SingleGpu;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Single-GPU hand-over and give-back on fixture desktops, through the hook's {@link Lifecycle}, with a stand-in
 * kernel and service manager ({@link StandInKernel}): the golden sequence of what is stopped, unbound and restored;
 * a failure injected at every changing call, each leaving the tree byte for byte as it was; the start limit.
 */
class SingleGpuHandoverTest {
  static final String DOMAIN = "win11";
  @TempDir Path dir;

  static VgapassMetadata metadata(SingleGpuHost h, int limit) {
    List<String> hostdevs = h.audio == null ? List.of(h.card) : List.of(h.card, h.audio);
    return new VgapassMetadata(h.card, hostdevs, List.of(1), List.of(0), List.of(0), 0, 1048576, 0, 0, null,
        List.of(), true, null, ShieldMode.OFF, new SingleGpu(limit));
  }

  record Run(SingleGpuHost host, StandInKernel kernel, Lifecycle life) {}

  Run setUp(String variant, String name) {
    Path root = dir.resolve(name + "/root");
    SingleGpuHost h = SingleGpuVariants.build(variant, root);
    StandInKernel k = new StandInKernel(h, dir.resolve(name + "/stopped"));
    return new Run(h, k, life(h, k, SingleGpuHandover.Pace.REAL));
  }

  static Lifecycle life(SingleGpuHost h, StandInKernel k, SingleGpuHandover.Pace pace) {
    SysRoot root = new SysRoot(h.root);
    return new Lifecycle(root, k).withSingleGpu(new SingleGpuHandover(root, k, k, pace));
  }

  private static String driver(SingleGpuHost h, String f) throws Exception {
    Path link = h.root.resolve("sys/bus/pci/devices/" + f + "/driver");
    return Files.isSymbolicLink(link) ? Files.readSymbolicLink(link).getFileName().toString() : null;
  }

  @ParameterizedTest
  @ValueSource(strings = {"gdm-amd", "sddm-nvidia", "lightdm-intel", "plasma-tty", "sysvinit-lab",
      "sysvinit-lab-children"})
  void handsOverAndGivesBackInTheGoldenOrder(String variant) throws Exception {
    Run r = setUp(variant, "ok");
    Map<String, String> before = StandInKernel.tree(r.host.root);
    List<String> log = r.life.prepare(DOMAIN, metadata(r.host, 60));
    assertThat(log.get(0)).startsWith("single-GPU: 0000:0b:00.0 handed to vfio-pci");
    assertThat(driver(r.host, r.host.card)).isEqualTo("vfio-pci");
    if (r.host.audio != null) assertThat(driver(r.host, r.host.audio)).isEqualTo("vfio-pci");
    assertThat(Files.readString(r.host.root.resolve("sys/class/vtconsole/vtcon0/bind"))).isEqualTo("0\n");
    assertThat(new StateStore(new SysRoot(r.host.root), DOMAIN).entries()).isNotEmpty();
    List<String> sequence = new ArrayList<>(List.of("# vm start (prepare/begin)"));
    sequence.addAll(r.kernel.calls);
    r.kernel.calls.clear();
    List<String> back = r.life.release(DOMAIN);
    assertThat(back).noneMatch(l -> l.startsWith("could not"));
    sequence.add("# vm stop (release/end)");
    sequence.addAll(r.kernel.calls);
    golden(variant, sequence);
    Map<String, String> after = StandInKernel.tree(r.host.root);
    if (variant.equals("plasma-tty")) {
      // an ended login session cannot be started again by anyone but the user: its processes are gone, all else back
      before.keySet().removeIf(p -> p.matches("proc/1(490|500|510)(/.*)?"));
    }
    assertThat(after).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(strings = {"gdm-amd", "sddm-nvidia", "lightdm-intel", "sysvinit-lab", "sysvinit-lab-children"})
  void aFailureAtEveryStepLeavesTheTreeAsItWas(String variant) throws Exception {
    Run probe = setUp(variant, "count");
    probe.life.prepare(DOMAIN, metadata(probe.host, 60));
    int changes = probe.kernel.changes();
    assertThat(changes).isGreaterThan(5);
    for (int k = 1; k <= changes; k++) {
      Run r = setUp(variant, "fail" + k);
      r.kernel.failAt(k);
      Map<String, String> before = StandInKernel.tree(r.host.root);
      assertThatThrownBy(() -> r.life.prepare(DOMAIN, metadata(r.host, 60)))
          .as("failure at change %d of %s", k, variant).isInstanceOf(HookFailure.class)
          .hasMessageStartingWith("single-GPU hand-over failed at step '")
          .hasMessageNotContaining("\n")
          .matches(e -> e.getMessage().contains("injected failure") || e.getMessage().contains(" exited 1"));
      assertThat(StandInKernel.tree(r.host.root)).as("tree after a failure at change %d of %s: %s", k, variant,
          r.kernel.calls).isEqualTo(before);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gdm-amd", "sysvinit-lab"})
  void aHandOverPastItsLimitIsRolledBack(String variant) throws Exception {
    Path root = dir.resolve("slow/root");
    SingleGpuHost h = SingleGpuVariants.build(variant, root);
    StandInKernel k = new StandInKernel(h, dir.resolve("slow/stopped"));
    long[] now = {0};
    // every look at the clock is 7 s later: the third or so step is past a 20 s limit
    SingleGpuHandover.Pace slow = new SingleGpuHandover.Pace() {
      @Override
      public long millis() {
        return now[0] += 7000;
      }

      @Override
      public void pause(long ms) {
        now[0] += ms;
      }
    };
    Map<String, String> before = StandInKernel.tree(root);
    assertThatThrownBy(() -> life(h, k, slow).prepare(DOMAIN, metadata(h, 20))).isInstanceOf(HookFailure.class)
        .hasMessageContaining("took longer than its limit of 20 s");
    assertThat(k.calls).isNotEmpty(); // it had begun: what it did was given back
    assertThat(StandInKernel.tree(root)).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(strings = {"blocker"})
  void anUnknownHolderIsNamedAndNothingIsTouched(String variant) throws Exception {
    Run r = setUp(variant, "blocked");
    Map<String, String> before = StandInKernel.tree(r.host.root);
    assertThatThrownBy(() -> r.life.prepare(DOMAIN, metadata(r.host, 60))).isInstanceOf(HookFailure.class)
        .hasMessage("single-GPU hand-over refused, nothing changed: pid 3000 (obs) holds /dev/dri/renderD128, which "
            + "is not a display manager or sound server vgapass knows (vgapass never kills it); close it and start the"
            + " VM again");
    assertThat(r.kernel.calls).isEmpty();
    assertThat(StandInKernel.tree(r.host.root)).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(strings = {"gdm-amd"})
  void aQemuThatStillHoldsTheCardKeepsTheDesktopStoppedUntilItIsGone(String variant) throws Exception {
    Run r = setUp(variant, "held");
    Map<String, String> before = StandInKernel.tree(r.host.root);
    r.life.prepare(DOMAIN, metadata(r.host, 60));
    new SingleGpuHost.Proc(r.host).qemu(7777);
    List<String> first = r.life.release(DOMAIN);
    assertThat(first).anySatisfy(l -> assertThat(l).contains("pid 7777 (qemu-system-x86_64) holds /dev/vfio/5"));
    assertThat(r.kernel.calls).noneMatch(c -> c.contains("systemctl start"));
    assertThat(driver(r.host, r.host.card)).isEqualTo("vfio-pci");
    // QEMU is killed: the next release (or gpu reclaim --force) gives everything back
    new SingleGpuHost.Proc(r.host).remove(7777);
    r.life.release(DOMAIN);
    assertThat(StandInKernel.tree(r.host.root)).isEqualTo(before);
  }

  private static void golden(String variant, List<String> lines) throws Exception {
    Path file = Path.of("src/test/resources/golden/single-gpu/" + variant + ".txt");
    String text = String.join("\n", lines) + "\n";
    if (Boolean.getBoolean("vgapass.golden.update") || !Files.exists(file)) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    }
    assertThat(text).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }
}
