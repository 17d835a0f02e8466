package io.vgapass.doctor;

import io.vgapass.host.BootFramebuffers;
import io.vgapass.host.GpuAnalyzer;
import io.vgapass.host.GpuCandidate;
import io.vgapass.host.SingleGpuSurvey;
import io.vgapass.host.SoundServer;
import io.vgapass.host.SysRoot;
import io.vgapass.host.VtConsoles;
import java.util.List;

/**
 * The host's only card judged for single-GPU mode ({@code plan --single-gpu}), beside its ordinary verdict: the same
 * evidence without the "host would lose its display" reason, and what the hand-over will stop, release and unload on
 * this host (read from its processes, consoles, framebuffers and drivers).
 *
 * @param passable it can be given to a VM now in single-GPU mode
 * @param plannable it can be once the host is prepared (the IOMMU switched on)
 * @param verdict the sentence doctor prints
 * @param reasons what stands in the way (empty when passable)
 * @param displayManager the running display manager the hand-over stops, null when none runs
 * @param soundServers the sound servers it stops (only a user's whose server holds the card's audio)
 * @param consoles the framebuffer consoles it unbinds
 * @param bootFramebuffers the boot framebuffers it unbinds ("efi-framebuffer.0 (efi-framebuffer)")
 * @param unload the modules it unloads, in order
 * @param blockers processes holding the card that vgapass does not know: the start is refused while they run
 * @param handover every step, in order, one line each
 */
public record SingleGpuVerdict(boolean passable, boolean plannable, String verdict, List<String> reasons,
    String displayManager, List<String> soundServers, List<String> consoles, List<String> bootFramebuffers,
    List<String> unload, List<String> blockers, List<String> handover) {
  public static final String PASSABLE = "passable in single-GPU mode: the host has no display while the VM runs";

  /** The verdict for the host's only display device; null when the host has none or several. */
  public static SingleGpuVerdict of(List<GpuCandidate> gpus, SysRoot root) {
    if (gpus.size() != 1) return null;
    GpuCandidate g = GpuAnalyzer.singleGpu(gpus.get(0));
    SingleGpuSurvey s = SingleGpuSurvey.of(root, g.address().toString(),
        g.functions().stream().map(Object::toString).toList());
    String verdict = g.passable() ? PASSABLE
        : g.plannable() ? "passable in single-GPU mode after host prep (" + String.join("; ", g.reasons())
            + "): the host has no display while the VM runs"
        : "not passable in single-GPU mode either: " + String.join("; ", g.reasons());
    return new SingleGpuVerdict(g.passable(), g.plannable(), verdict, g.reasons(),
        s.displayManager() == null ? null : s.displayManager().describe(),
        s.soundServers().stream().map(SingleGpuVerdict::sound).toList(),
        s.consoles().stream().map(VtConsoles.Console::name).toList(),
        s.bootFramebuffers().stream().map(SingleGpuVerdict::framebuffer).toList(),
        s.drivers().unload(), s.blockers().stream().map(Object::toString).toList(), s.steps());
  }

  private static String sound(SoundServer s) {
    return s.user() + "'s " + s.name() + (s.unit() == null ? " (pid " + s.pid() + ")" : " (" + s.unit() + ")");
  }

  private static String framebuffer(BootFramebuffers.BootFramebuffer b) {
    return b.device() + " (" + b.driver() + ")";
  }
}
