package io.vgapass.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vgapass.plan.Intent;
import io.vgapass.plan.Plan;
import io.vgapass.plan.PlanRefused;
import io.vgapass.plan.Planner;
import io.vgapass.plan.SingleGpu;
import io.vgapass.plan.TestHosts;
import org.junit.jupiter.api.Test;

/** --single-gpu: planned only on a host whose one card drives its display, recorded as handover='single'. */
class SingleGpuPlanTest {
  private static Plan single(String host, int limit) {
    return Planner.plan(TestHosts.host(host), Intent.defaults().withSingleGpu(new SingleGpu(limit)));
  }

  @Test
  void withoutTheFlagTheOnlyCardIsRefusedAndTheMessageNamesTheFlag() {
    assertThatThrownBy(() -> TestHosts.plan(TestHosts.ONLY_DISPLAY)).isInstanceOf(PlanRefused.class)
        .hasMessageContaining("--single-gpu");
  }

  @Test
  void theOnlyCardIsPlannedWithItsAudioHandedOverByTheHook() {
    Plan p = single(TestHosts.ONLY_DISPLAY, 60);
    assertThat(p.gpu().address().toString()).isEqualTo("0000:0b:00.0");
    assertThat(p.hostdevs()).extracting(Object::toString).containsExactly("0000:0b:00.0", "0000:0b:00.1");
    assertThat(p.hookHandover()).isTrue();
    assertThat(p.singleGpu()).isEqualTo(new SingleGpu(60));
    assertThat(p.notes()).anySatisfy(n -> assertThat(n).startsWith("single-GPU mode: 0000:0b:00.0")
        .contains("gpu reclaim --force"));
    // the host needs the card until the VM starts: never bound to vfio-pci at boot
    assertThat(p.hostPreparation()).noneMatch(s -> s.contains("vfio-pci"));
  }

  @Test
  void aHostWithTwoCardsIsNotSingleGpu() {
    assertThatThrownBy(() -> single(TestHosts.REFERENCE, 60)).isInstanceOf(PlanRefused.class)
        .hasMessageStartingWith("--single-gpu: this host has 2 display devices");
  }

  @Test
  void theMetadataRecordsTheModeAndLimitAndReadsBack() {
    Plan p = single(TestHosts.ONLY_DISPLAY, 90);
    XmlDoc doc = DomainWriter.create(p, "kvm", null);
    String xml = doc.serialize();
    assertThat(xml).contains("handover='single'").contains("start-limit='90'");
    assertThat(xml).contains("managed='no'");
    VgapassMetadata m = VgapassMetadata.read(doc);
    assertThat(m.singleGpu()).isEqualTo(new SingleGpu(90));
    assertThat(m.hookHandover()).isTrue();
    assertThat(VgapassMetadata.read(xml, "hook stdin").singleGpu()).isEqualTo(new SingleGpu(90));
    // a tune that does not touch the card keeps the mode
    XmlDoc again = XmlDoc.parse("again", xml);
    DomainWriter.tune(again, TestHosts.plan(TestHosts.REFERENCE), TuneScope.NEW_DOMAIN);
    assertThat(VgapassMetadata.read(again).singleGpu()).isNull(); // NEW_DOMAIN tunes the card: another plan's card
  }

  @Test
  void aLimitVgapassDoesNotWriteIsRefused() {
    String xml = DomainWriter.create(single(TestHosts.ONLY_DISPLAY, 60), "kvm", null).serialize()
        .replace("start-limit='60'", "start-limit='99999'");
    assertThatThrownBy(() -> VgapassMetadata.read(XmlDoc.parse("x", xml))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("start-limit='99999'");
  }
}
