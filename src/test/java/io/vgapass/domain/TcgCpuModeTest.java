package io.vgapass.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.plan.TestHosts;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libvirt refuses host-passthrough for a type='qemu' (TCG) domain ("CPU mode 'host-passthrough' ... is not supported
 * by hypervisor"), so vm tune gives such a domain the 'maximum' model and no cache passthrough; KVM domains keep
 * host-passthrough.
 */
class TcgCpuModeTest {
  @TempDir Path tmp;

  @Test
  void aTcgDomainGetsTheMaximumModel() throws Exception {
    String out = DomainSamples.vmTune(tmp, TestHosts.root(TestHosts.MODERN),
        DomainSamples.MINIMAL.replace("type='kvm'", "type='qemu'"), List.of("--vcpus", "2"), "tcg");
    XmlDoc doc = XmlDoc.parse("tuned", out);
    assertThat(doc.get("./cpu/@mode")).isEqualTo("maximum");
    assertThat(doc.list("./cpu/cache")).isEmpty();
    assertThat(doc.get("./cpu/topology/@cores")).isNotNull();
  }

  @Test
  void aKvmDomainKeepsHostPassthrough() throws Exception {
    String out = DomainSamples.vmTune(tmp, TestHosts.root(TestHosts.MODERN), DomainSamples.MINIMAL, List.of("--vcpus", "2"),
        "kvm");
    XmlDoc doc = XmlDoc.parse("tuned", out);
    assertThat(doc.get("./cpu/@mode")).isEqualTo("host-passthrough");
    assertThat(doc.get("./cpu/cache/@mode")).isEqualTo("passthrough");
  }
}
