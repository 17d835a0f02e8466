package io.vgapass.doctor;

import io.vgapass.host.GpuCandidate;
import io.vgapass.host.Host;
import java.util.List;

/** One concern of the audit: a pure function of the host. */
public interface Check {
  List<Finding> check(HostView host);

  /** The host together with its GPU verdicts, computed once for all checks. */
  record HostView(Host host, List<GpuCandidate> gpus) {}
}
