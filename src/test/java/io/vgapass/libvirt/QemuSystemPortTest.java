package io.vgapass.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vgapass.testing.LabAssumptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LibvirtJavaPort} against the real libvirtd on {@code qemu:///system} with QEMU TCG guests that have no
 * disk and no OS (they sit in the firmware). Runs only with {@code -Dvgapass.it=true}; see {@link LabAssumptions}.
 */
class QemuSystemPortTest {

  private static final String URI = LabAssumptions.LIBVIRT_URI;
  private static final String TABLET = "<input type='tablet' bus='usb'/>";

  private LibvirtJavaPort port;
  private String name;

  @BeforeEach
  void open() {
    LabAssumptions.assumeLab();
    port = LibvirtJavaPort.open(URI);
    name = "vgapass-test-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void cleanUp() {
    if (port == null) {
      return;
    }
    try {
      port.domain(name).ifPresent(d -> {
        if (d.active()) {
          port.destroy(name);
        }
        port.undefine(name);
      });
    } finally {
      port.close();
    }
  }

  /** q35, TCG, 128 MiB, 1 vCPU, an XHCI controller for USB hot-plug, no disk, no display. */
  private String tcgDomain(boolean uefi) {
    return """
                <domain type='qemu'>
                  <name>%s</name>
                  <memory unit='MiB'>128</memory>
                  <vcpu>1</vcpu>
                  <os%s><type arch='x86_64' machine='q35'>hvm</type></os>
                  <features><acpi/></features>
                  <devices>
                    <controller type='usb' model='qemu-xhci'/>
                    <video><model type='none'/></video>
                    <memballoon model='none'/>
                  </devices>
                </domain>
                """.formatted(name, uefi ? " firmware='efi'" : "");
  }

  @Test
  void versionsOfTheRealDaemon() {
    assertThat(port.libvirtVersion()).matches("\\d+\\.\\d+\\.\\d+");
    assertThat(port.hypervisorVersion()).matches("\\d+\\.\\d+\\.\\d+");
  }

  @Test
  void lifecycleAndLiveOnlyUsbAttach() {
    assertThat(port.define(tcgDomain(false))).isEqualTo(name);
    assertThat(port.domainNames()).contains(name);
    assertThat(port.domain(name).orElseThrow().state()).isEqualTo(DomainInfo.State.SHUTOFF);

    port.start(name);
    DomainInfo running = port.domain(name).orElseThrow();
    assertThat(running.state()).isEqualTo(DomainInfo.State.RUNNING);
    assertThat(running.id()).isPositive();
    assertThatThrownBy(() -> port.start(name))
        .isInstanceOfSatisfying(LibvirtFailure.class, f -> {
          assertThat(f.getMessage()).startsWith("start " + name + ": libvirt: ").contains("already running");
          assertThat(f.code()).isEqualTo("VIR_ERR_OPERATION_INVALID");
        });

    String live = port.liveXml(name);
    assertThat(live).contains("<name>" + name + "</name>").contains("<alias name=");
    assertThat(tablets(live)).isZero();

    port.attachDeviceLive(name, TABLET);
    String attached = port.liveXml(name);
    assertThat(tablets(attached)).isOne();
    assertThat(tablets(port.domainXml(name, true))).as("persistent XML untouched").isZero();

    port.detachDeviceLive(name, TABLET);   // USB leaves at once, no guest driver involved
    assertThat(tablets(port.liveXml(name))).isZero();
    assertThat(tablets(port.domainXml(name, true))).isZero();

    port.shutdown(name);   // only a request: the firmware ignores ACPI, so it keeps running
    port.destroy(name);
    DomainInfo off = port.domain(name).orElseThrow();
    assertThat(off.state()).isEqualTo(DomainInfo.State.SHUTOFF);
    assertThat(off.active()).isFalse();

    port.undefine(name);
    assertThat(port.domain(name)).isEmpty();
    assertThat(port.domainNames()).doesNotContain(name);
  }

  @Test
  void undefineRemovesTheUefiNvram() {
    port.define(tcgDomain(true));
    port.start(name);   // firmware='efi' is resolved at start: the live XML names the NVRAM file it copied
    Matcher m = Pattern.compile("<nvram[^>]*>([^<]+)</nvram>").matcher(port.liveXml(name));
    assertThat(m.find()).as("live XML has an <nvram> path").isTrue();
    Path nvram = Path.of(m.group(1));
    port.destroy(name);
    assertThat(nvram).exists();

    port.undefine(name);   // without VIR_DOMAIN_UNDEFINE_NVRAM libvirt refuses: "cannot undefine domain with nvram"
    assertThat(port.domain(name)).isEmpty();
    assertThat(Files.exists(nvram)).isFalse();
  }

  @Test
  void detachingADeviceThatIsNotThereNamesTheDomain() {
    port.define(tcgDomain(false));
    port.start(name);
    assertThatThrownBy(() -> port.detachDeviceLive(name, TABLET))
        .isInstanceOf(LibvirtFailure.class)
        .hasMessageStartingWith("detach-device --live " + name + ": libvirt: ");
  }

  private static long tablets(String xml) {
    return Pattern.compile("<input type='tablet' bus='usb'").matcher(xml).results().count();
  }
}
