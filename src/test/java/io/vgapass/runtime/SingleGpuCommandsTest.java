package io.vgapass.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vgapass.cli.Main;
import io.vgapass.host.SysRoot;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** doctor's single-GPU verdict and gpu reclaim --force, run as the user runs them, on the fixture desktops. */
class SingleGpuCommandsTest {
  @TempDir Path dir;

  record Out(int exit, String out, String err) {}

  static Out vgapass(String... args) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code = Main.run(args, java.io.InputStream.nullInputStream(), new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true,
        StandardCharsets.UTF_8));
    return new Out(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
  }

  @Test
  void doctorSaysTheOnlyCardIsPassableInSingleGpuModeAndWhatTheHandOverStops() throws Exception {
    SingleGpuVariants.gdm(dir);
    Out text = vgapass("doctor", "--sysroot", dir.toString());
    assertThat(text.out()).contains("Single-GPU mode")
        .contains("0000:0b:00.0: passable in single-GPU mode: the host has no display while the VM runs")
        .contains("- stop the display manager gdm.service (systemd)")
        .contains("- stop alice's sound server pipewire (pipewire.service, systemd --user): it holds the card's audio")
        .contains("- unbind the framebuffer console vtcon0")
        .contains("- unbind 0000:0b:00.0 from amdgpu and bind it to vfio-pci");
    JsonNode gpu = new ObjectMapper().readTree(vgapass("doctor", "--sysroot", dir.toString(), "--json").out())
        .get("gpus").get(0);
    assertThat(gpu.get("passable").asBoolean()).isFalse(); // its meaning stays: the host keeps no display
    JsonNode single = gpu.get("singleGpu");
    assertThat(single.get("passable").asBoolean()).isTrue();
    assertThat(single.get("displayManager").asText()).isEqualTo("gdm.service (systemd)");
    assertThat(single.get("soundServers").toString()).contains("alice's pipewire (pipewire.service)")
        .contains("alice's wireplumber");
    assertThat(single.get("consoles").toString()).isEqualTo("[\"vtcon0\"]");
    assertThat(single.get("blockers").size()).isZero();
    // the field sits right after passable
    java.util.List<String> names = new java.util.ArrayList<>();
    gpu.fieldNames().forEachRemaining(names::add);
    assertThat(names.get(names.indexOf("passable") + 1)).isEqualTo("singleGpu");
  }

  @Test
  void doctorNamesAProgramThatWouldBlockTheStart() {
    SingleGpuVariants.build("blocker", dir);
    assertThat(vgapass("doctor", "--sysroot", dir.toString()).out())
        .contains("refuse to start while pid 3000 (obs) holds /dev/dri/renderD128");
  }

  @Test
  void reclaimForceWithoutAStateFileSaysThereIsNothingToDo() {
    SingleGpuVariants.gdm(dir);
    Out r = vgapass("gpu", "reclaim", "--force", "--sysroot", dir.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("nothing to reclaim: no state file in /run/vgapass records a single-GPU hand-over\n");
  }

  @Test
  void reclaimForceReplaysTheOnlyHandOverAndRemovesItsStateFile() throws Exception {
    SingleGpuVariants.gdm(dir);
    StateStore state = new StateStore(new SysRoot(dir), "win11");
    state.record(new StateStore.Entry(SingleGpuHandover.SESSION, "3", "kwin_wayland", 0));
    Out dry = vgapass("gpu", "reclaim", "--force", "--dry-run", "--sysroot", dir.toString());
    assertThat(dry.out()).isEqualTo("would undo: single-session 3\n");
    assertThat(state.exists()).isTrue();
    Out r = vgapass("gpu", "reclaim", "--force", "--sysroot", dir.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("login session 3 (kwin_wayland) was ended: log in again\n"
        + "reclaimed: win11's hand-over is undone\n");
    assertThat(state.exists()).isFalse();
  }

  @Test
  void reclaimForceRefusesToGuessBetweenTwoVms() {
    SingleGpuVariants.gdm(dir);
    for (String vm : new String[] {"a", "b"}) {
      new StateStore(new SysRoot(dir), vm).record(new StateStore.Entry(SingleGpuHandover.SESSION, "3", "x", 0));
    }
    Out r = vgapass("gpu", "reclaim", "--force", "--sysroot", dir.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip()).endsWith("several VMs' state files record a single-GPU hand-over (a, b); name one: "
        + "vgapass gpu reclaim --force DOMAIN");
    assertThat(Files.exists(dir.resolve("run/vgapass/a.state"))).isTrue();
  }
}
