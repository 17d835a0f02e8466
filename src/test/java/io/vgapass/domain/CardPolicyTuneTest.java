package io.vgapass.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.host.CardPolicy;
import io.vgapass.host.GpuCandidate;
import io.vgapass.plan.Plan;
import io.vgapass.plan.TestHosts;
import org.junit.jupiter.api.Test;

/**
 * HostdevTuner hides the card's ROM BAR where its family row says so. No row of the shipped table says hide yet
 * (no source confirmed one), so the plan's card is given such a row here.
 */
class CardPolicyTuneTest {
  static Plan withRomBar(Plan p, CardPolicy.RomBar romBar) {
    GpuCandidate g = p.gpu();
    CardPolicy row = new CardPolicy("test family", CardPolicy.Reset.FLR, false, CardPolicy.Binding.EARLY_SAFE, romBar,
        "a test", true, null);
    GpuCandidate card = new GpuCandidate(g.address(), g.ids(), g.vendor(), g.driver(), g.bootVga(), g.iommuGroup(),
        g.functions(), g.groupMembers(), g.groups(), g.isolated(), g.passable(), g.reasons(), g.plannable(),
        g.notes(), row);
    return p.toBuilder().gpu(card).build();
  }

  static String hostdevOf(XmlDoc doc, String function) {
    return doc.list("./devices/hostdev").stream()
        .filter(h -> ("0x" + function).equals(h.get("./source/address/@function"))).findFirst().orElseThrow()
        .get("./rom/@bar");
  }

  @Test
  void aHideRowGivesTheCardsHostdevRomBarOff() {
    Plan p = withRomBar(TestHosts.plan(TestHosts.MODERN), CardPolicy.RomBar.HIDE);
    XmlDoc doc = DomainWriter.create(p, "kvm", null);
    assertThat(hostdevOf(doc, "0")).isEqualTo("off");
    // only the card's own function: its HDMI audio function keeps its ROM BAR as libvirt sets it
    assertThat(hostdevOf(doc, "1")).isNull();
    // libvirt's own schema accepts the element where the tuner put it (when the schema is installed here)
    SchemaValidator schema = SchemaValidator.libvirt();
    if (schema.available()) assertThat(schema.validate(doc)).isEmpty();
    // tuning again gives the same bytes
    String once = doc.serialize();
    assertThat(DomainWriter.tune(XmlDoc.parse("again", once), p, TuneScope.NEW_DOMAIN).serialize()).isEqualTo(once);
  }

  @Test
  void aRowWithoutHideLeavesTheRomBarAlone() {
    for (CardPolicy.RomBar r : new CardPolicy.RomBar[] {CardPolicy.RomBar.NONE, CardPolicy.RomBar.NEED_ROM_FILE}) {
      XmlDoc doc = DomainWriter.create(withRomBar(TestHosts.plan(TestHosts.MODERN), r), "kvm", null);
      assertThat(hostdevOf(doc, "0")).as(r.label()).isNull();
    }
    XmlDoc shipped = DomainWriter.create(TestHosts.plan(TestHosts.MODERN), "kvm", null);
    assertThat(shipped.serialize()).doesNotContain("<rom");
  }
}
