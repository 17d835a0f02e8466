package io.vgapass.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.host.BootFramebuffers;
import io.vgapass.host.CardHolders;
import io.vgapass.host.DisplayManager;
import io.vgapass.host.DriverStack;
import io.vgapass.host.HostProcess;
import io.vgapass.host.SingleGpuSurvey;
import io.vgapass.host.SoundServer;
import io.vgapass.host.SysRoot;
import io.vgapass.host.VtConsoles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host-side finders of single-GPU mode, each on the fixture desktop where it matters. */
class SingleGpuFindersTest {
  @TempDir Path dir;

  private SingleGpuSurvey survey(SingleGpuHost h) {
    List<String> functions = h.audio == null ? List.of(h.card) : List.of(h.card, h.audio);
    return SingleGpuSurvey.of(new SysRoot(h.root), h.card, functions);
  }

  @Test
  void holdersAreFoundByTheirFdLinksNotTheirNames() {
    SingleGpuHost h = SingleGpuVariants.gdm(dir);
    SysRoot root = new SysRoot(dir);
    List<String> nodes = CardHolders.nodes(root, List.of(h.card, h.audio));
    assertThat(nodes).containsExactly("/dev/dri/card0", "/dev/dri/renderD128", "/dev/fb0", "/dev/snd/controlC0",
        "/dev/snd/pcmC0D3p");
    assertThat(CardHolders.holders(root, nodes)).extracting(Object::toString).containsExactly(
        "pid 1300 (gnome-shell) holds /dev/dri/card0", "pid 1300 (gnome-shell) holds /dev/dri/renderD128",
        "pid 1310 (Xwayland) holds /dev/dri/renderD128", "pid 2100 (pipewire) holds /dev/snd/controlC0",
        "pid 2100 (pipewire) holds /dev/snd/pcmC0D3p", "pid 2110 (wireplumber) holds /dev/snd/controlC0");
    // sshd holds nothing of the card and is nobody's business here
    assertThat(survey(h).blockers()).isEmpty();
  }

  @Test
  void theDisplayManagerIsTheUnitDisplayManagerServiceLinksTo() {
    SingleGpuVariants.sddm(dir);
    SysRoot root = new SysRoot(dir);
    List<HostProcess> ps = HostProcess.pids(root).stream().map(p -> HostProcess.read(root, p)).toList();
    DisplayManager dm = DisplayManager.find(root, ps);
    assertThat(dm).isEqualTo(new DisplayManager("systemd", "sddm.service", java.util.Set.of("sddm"), true));
  }

  @Test
  void withoutSystemdItIsTheProgramDebiansDefaultDisplayManagerNames() {
    SingleGpuVariants.lab(dir);
    SysRoot root = new SysRoot(dir);
    List<HostProcess> ps = HostProcess.pids(root).stream().map(p -> HostProcess.read(root, p)).toList();
    DisplayManager dm = DisplayManager.find(root, ps);
    assertThat(dm.manager()).isEqualTo("sysvinit");
    assertThat(dm.describe()).isEqualTo("/etc/init.d/fakedm");
    assertThat(dm.running()).isTrue();
  }

  @Test
  void aCompositorFromATtyIsItsLoginSession() {
    SingleGpuSurvey s = survey(SingleGpuVariants.plasmaFromTty(dir));
    assertThat(s.displayManager()).isNull();
    assertThat(s.sessions()).containsOnlyKeys("3");
    assertThat(s.sessions().get("3")).extracting(CardHolders.Holder::pid).containsExactly(1500, 1500, 1510);
    assertThat(s.blockers()).isEmpty();
  }

  @Test
  void soundServersAreStoppedOnlyWhenTheyHoldTheCardsAudio() {
    SingleGpuSurvey gdm = survey(SingleGpuVariants.gdm(dir.resolve("gdm")));
    assertThat(gdm.soundServers()).extracting(SoundServer::name, SoundServer::unit, SoundServer::holdsCard)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("wireplumber", "wireplumber.service", true),
            org.assertj.core.groups.Tuple.tuple("pipewire-pulse", "pipewire-pulse.service", false),
            org.assertj.core.groups.Tuple.tuple("pipewire", "pipewire.service", true));
    // the iGPU has no audio function: the user's PipeWire keeps playing
    SingleGpuSurvey intel = survey(SingleGpuVariants.lightdm(dir.resolve("intel")));
    assertThat(intel.soundServers()).isEmpty();
    assertThat(intel.keptSoundServers()).extracting(SoundServer::name).containsExactly("pipewire");
    // no systemd --user: the process, with what starts it again
    SoundServer lab = survey(SingleGpuVariants.lab(dir.resolve("lab"))).soundServers().get(0);
    assertThat(lab.unit()).isNull();
    assertThat(lab.cmdline()).containsExactly("/bin/sh", "/usr/local/bin/pipewire");
    assertThat(lab.cwd()).isEqualTo("/home/alice");
    assertThat(lab.runtimeDir()).isEqualTo("/run/user/1000");
  }

  @Test
  void consolesFramebuffersAndTheNvidiaStackInUnloadOrder() {
    SingleGpuHost h = SingleGpuVariants.sddm(dir);
    SysRoot root = new SysRoot(dir);
    assertThat(VtConsoles.boundFramebuffers(root)).extracting(VtConsoles.Console::name).containsExactly("vtcon0");
    assertThat(BootFramebuffers.bound(root)).containsExactly(
        new BootFramebuffers.BootFramebuffer("efi-framebuffer.0", "efi-framebuffer"));
    DriverStack d = DriverStack.of(root, List.of(h.card, h.audio));
    assertThat(d.unload()).containsExactly("nvidia_drm", "nvidia_modeset", "nvidia_uvm", "nvidia");
    assertThat(d.bindings()).extracting(DriverStack.Binding::driver).containsExactly("nvidia", "snd_hda_intel");
    assertThat(CardHolders.nodes(root, List.of(h.card))).contains("/dev/nvidia0", "/dev/nvidiactl",
        "/dev/nvidia-modeset");
    // amdgpu is unbound, never unloaded
    SingleGpuHost amd = SingleGpuVariants.gdm(dir.resolve("amd"));
    assertThat(DriverStack.of(new SysRoot(amd.root), List.of(amd.card)).unload()).isEmpty();
  }

  @Test
  void aProgramVgapassDoesNotKnowIsABlockerWhateverItsUser() {
    SingleGpuSurvey s = survey(SingleGpuVariants.build("blocker", dir));
    assertThat(s.blockers()).extracting(Object::toString)
        .containsExactly("pid 3000 (obs) holds /dev/dri/renderD128");
    assertThat(s.steps().get(0)).startsWith("refuse to start while pid 3000 (obs) holds /dev/dri/renderD128");
  }
}
