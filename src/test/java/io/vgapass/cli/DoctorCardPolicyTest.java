package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vgapass.testing.TranscribedHosts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** doctor --json shows, per GPU, the card family row applied, and gpu.reset names it. */
class DoctorCardPolicyTest {
  @TempDir static Path tmp;

  static JsonNode doctor(String fixture, String... extraLines) throws Exception {
    Path root = extraLines.length == 0 ? TranscribedHosts.host(fixture, tmp) : TranscribedHosts.hostWith(fixture, tmp, extraLines);
    return DoctorCliTest.json(CliRunner.run("doctor", "--json", "--sysroot", root.toString()));
  }

  static List<JsonNode> resetFindings(JsonNode doc, String address) {
    List<JsonNode> out = new ArrayList<>();
    doc.get("findings").forEach(f -> {
      if (f.get("id").asText().equals("gpu.reset") && f.get("message").asText().contains(address)) out.add(f);
    });
    return out;
  }

  @Test
  void theRx580OfTheB450mMortarIsPolarisWithVendorResetCoverage() throws Exception {
    JsonNode doc = doctor("msi-b450m-mortar");
    JsonNode policy = DoctorCliTest.gpu(doc, "0000:10:00.0").get("cardPolicy");
    assertThat(policy.get("family").asText()).startsWith("AMD Polaris 10");
    assertThat(policy.get("reset").asText()).isEqualTo("amd-reset-bug");
    assertThat(policy.get("vendorReset").asBoolean()).isTrue();
    assertThat(policy.get("binding").asText()).isEqualTo("early-safe");
    assertThat(policy.get("romBar").asText()).isEqualTo("none");
    assertThat(policy.get("source").asText()).contains("gnif/vendor-reset");
    assertThat(policy.get("confirmed").asBoolean()).isTrue();
    // the fixture loads no vendor_reset: the finding warns and its evidence and fix name the row
    List<JsonNode> reset = resetFindings(doc, "0000:10:00.0");
    assertThat(reset).hasSize(1);
    assertThat(reset.get(0).get("severity").asText()).isEqualTo("warning");
    assertThat(reset.get(0).get("evidence").asText())
        .contains("card family: AMD Polaris 10", "covered by vendor-reset", "source: github.com/gnif/vendor-reset");
    assertThat(reset.get(0).get("fix").asText()).contains("it lists AMD Polaris 10");
  }

  @Test
  void withVendorResetLoadedThePolarisVerdictIsOk() throws Exception {
    JsonNode doc = doctor("msi-b450m-mortar", "modules vendor_reset vfio_pci vfio_iommu_type1 vfio kvm_amd kvm amdgpu");
    List<JsonNode> reset = resetFindings(doc, "0000:10:00.0");
    assertThat(reset).hasSize(1);
    assertThat(reset.get(0).get("severity").asText()).isEqualTo("ok");
    assertThat(reset.get(0).get("evidence").asText()).contains("card family: AMD Polaris 10");
  }

  @Test
  void nvidiaCardsShowTheirRowUnconfirmedAndKeepTheirVerdict() throws Exception {
    JsonNode doc = doctor("msi-mag-b550m-mortar");
    JsonNode policy = DoctorCliTest.gpu(doc, "0000:2b:00.0").get("cardPolicy");
    assertThat(policy.get("family").asText()).startsWith("NVIDIA GeForce");
    assertThat(policy.get("confirmed").asBoolean()).isFalse();
    assertThat(policy.get("source").asText()).contains("quirks.c");
    List<JsonNode> reset = resetFindings(doc, "0000:2b:00.0");
    assertThat(reset.get(0).get("severity").asText()).isEqualTo("ok");
    assertThat(reset.get(0).get("evidence").asText()).contains("reset_method: bus", "NVIDIA GeForce", "unconfirmed");
  }

  @Test
  void everyGpuOfEveryFixtureCarriesARow() throws Exception {
    for (String fixture : TranscribedHosts.ALL) {
      JsonNode doc = doctor(fixture);
      for (JsonNode g : doc.get("gpus")) {
        JsonNode policy = g.get("cardPolicy");
        assertThat(policy).as(fixture + " " + g.get("address")).isNotNull();
        assertThat(policy.get("family").asText()).isNotBlank();
        assertThat(policy.has("confirmed")).isTrue();
        // an unknown card has no source; every row of the table has one
        assertThat(policy.get("source").isNull()).isEqualTo(policy.get("family").asText().equals("unknown"));
      }
    }
  }
}
