package io.vgapass.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The card family table in the jar, its lookups, and what a malformed table gives. */
class CardFamiliesTest {
  /** The AMD ids the old hard-coded reset-bug list in ResetCheck held: the table must keep them all. */
  static final List<String> OLD_RESET_BUG_IDS = List.of(
      "67df", "67ef", "67ff", "6fdf", "67c0", "67c4", "67c7", "67e0", "67e3", "67e8", "67eb",
      "687f", "6860", "6861", "6862", "6863", "6864", "6867", "6868", "686c", "66af",
      "731f", "7310", "7312", "7340", "7341", "7347", "734f", "7360", "7362");

  static CardFamilies parse(String json) throws IOException {
    return CardFamilies.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  static String table(String... rows) {
    return "{\"families\": [" + String.join(",", rows) + "]}";
  }

  static String row(String family, String devices, String source, String confirmed) {
    return "{\"family\": \"" + family + "\", \"vendor\": \"1002\", \"devices\": [" + devices + "], "
        + "\"reset\": \"bus\", \"vendorReset\": false, \"binding\": \"early-safe\", \"romBar\": \"none\""
        + (source == null ? "" : ", \"source\": \"" + source + "\"")
        + (confirmed == null ? "" : ", \"confirmed\": " + confirmed) + "}";
  }

  @Test
  void theBundledTableParsesAndEveryRowNamesItsSourceAndWhetherItIsConfirmed() {
    List<CardFamilies.Row> rows = CardFamilies.bundled().rows();
    assertThat(rows).hasSizeGreaterThanOrEqualTo(10);
    assertThat(rows).allSatisfy(r -> {
      assertThat(r.policy().source()).as(r.policy().family()).isNotBlank();
      assertThat(r.vendor()).matches("[0-9a-f]{4}");
      assertThat(r.devices()).isNotEmpty();
    });
    // both kinds are present: the table says which rows rest on a source read and which do not
    assertThat(rows).anyMatch(r -> r.policy().confirmed()).anyMatch(r -> !r.policy().confirmed());
    // only the AMD reset bug has vendor-reset coverage
    assertThat(rows).filteredOn(r -> r.policy().vendorReset())
        .allSatisfy(r -> assertThat(r.policy().reset()).isEqualTo(CardPolicy.Reset.AMD_RESET_BUG));
  }

  @Test
  void noTwoRowsCoverTheSameId() {
    assertThat(CardFamilies.bundled().overlap()).isNull();
    int covered = 0;
    for (CardFamilies.Row r : CardFamilies.bundled().rows()) {
      for (CardFamilies.IdRange range : r.devices()) {
        assertThat(range.first()).isLessThanOrEqualTo(range.last());
        for (int id = range.first(); id <= range.last(); id++) {
          CardPolicy p = CardPolicy.of(r.vendor(), String.format("%04x", id));
          assertThat(p.family()).as(r.vendor() + ":" + Integer.toHexString(id)).isEqualTo(r.policy().family());
          covered++;
        }
      }
    }
    assertThat(covered).isGreaterThan(100);
  }

  @Test
  void anRx580IsPolarisWithTheResetBugThatVendorResetCovers() {
    CardPolicy p = CardPolicy.of("1002", "67df");
    assertThat(p.family()).startsWith("AMD Polaris 10");
    assertThat(p.reset()).isEqualTo(CardPolicy.Reset.AMD_RESET_BUG);
    assertThat(p.vendorReset()).isTrue();
    assertThat(p.confirmed()).isTrue();
    assertThat(p.confirmedResetBug()).isTrue();
    assertThat(p.source()).contains("gnif/vendor-reset", "device-db.h");
    assertThat(CardPolicy.of("1002", "67DF")).isEqualTo(p);
  }

  @Test
  void anRx6800IsNavi21WithAnUnconfirmedBusReset() {
    CardPolicy p = CardPolicy.of("1002", "73bf");
    assertThat(p.family()).contains("Navi 21");
    assertThat(p.reset()).isEqualTo(CardPolicy.Reset.BUS);
    assertThat(p.vendorReset()).isFalse();
    assertThat(p.confirmed()).isFalse();
    assertThat(p.confirmedResetBug()).isFalse();
  }

  @Test
  void aGtx1060IsAnNvidiaCardThatBindsEarly() {
    CardPolicy p = CardPolicy.of("10de", "1c03");
    assertThat(p.family()).startsWith("NVIDIA GeForce");
    assertThat(p.reset()).isEqualTo(CardPolicy.Reset.BUS);
    assertThat(p.binding()).isEqualTo(CardPolicy.Binding.EARLY_SAFE);
    assertThat(p.romBar()).isEqualTo(CardPolicy.RomBar.NONE);
  }

  @Test
  void anH100HasNoBusResetByTheKernelsQuirk() {
    CardPolicy p = CardPolicy.of("10de", "2343");
    assertThat(p.family()).contains("GH100");
    assertThat(p.reset()).isEqualTo(CardPolicy.Reset.FLR);
    assertThat(p.confirmed()).isTrue();
    assertThat(p.source()).contains("quirks.c", "quirk_nvidia_no_bus_reset");
    assertThat(CardPolicy.of("10de", "2380").family()).doesNotContain("GH100");
  }

  @Test
  void anIntelArcA770BindsLate() {
    CardPolicy p = CardPolicy.of("8086", "56a0");
    assertThat(p.family()).startsWith("Intel Arc");
    assertThat(p.binding()).isEqualTo(CardPolicy.Binding.LATE);
    assertThat(p.confirmed()).isFalse();
  }

  @Test
  void anUnknownCardGetsTheDefaultRow() {
    for (String[] ids : new String[][] {{"1234", "5678"}, {"8086", "0412"}, {"1002", "zzzz"}, {null, "67df"}}) {
      CardPolicy p = CardPolicy.of(ids[0], ids[1]);
      assertThat(p.family()).isEqualTo(CardPolicy.UNKNOWN);
      assertThat(p.reset()).isEqualTo(CardPolicy.Reset.UNKNOWN);
      assertThat(p.note()).contains("FLR if the card reports it in reset_method");
      assertThat(p.source()).isNull();
      assertThat(p.confirmed()).isFalse();
    }
  }

  @Test
  void everyIdOfTheOldHardCodedListStillHasTheConfirmedResetBugWithVendorReset() {
    for (String id : OLD_RESET_BUG_IDS) {
      CardPolicy p = CardPolicy.of("1002", id);
      assertThat(p.confirmedResetBug()).as(id).isTrue();
      assertThat(p.vendorReset()).as(id).isTrue();
    }
  }

  @Test
  void theDescriptionNamesFamilyDecisionsSourceAndConfirmation() {
    assertThat(CardPolicy.of("1002", "67df").describe())
        .contains("AMD Polaris 10", "reset amd-reset-bug, covered by vendor-reset", "binding early-safe",
            "ROM BAR none", "source: github.com/gnif/vendor-reset")
        .doesNotContain("unconfirmed");
    assertThat(CardPolicy.of("8086", "56a0").describe()).contains("binding late", "unconfirmed");
  }

  @Test
  void aMalformedTableIsRefusedNamingTheRowAndTheField() throws IOException {
    assertThat(parse(table(row("A", "\"67df\"", "s", "true"))).rows()).hasSize(1);
    assertThatThrownBy(() -> parse(table(row("A", "\"67df\"", null, "true"))))
        .hasMessageContaining("A: source is missing");
    assertThatThrownBy(() -> parse(table(row("A", "\"67df\"", "s", null))))
        .hasMessageContaining("A: confirmed must be true or false");
    assertThatThrownBy(() -> parse(table(row("A", "\"67df\"", "s", "\"yes\""))))
        .hasMessageContaining("A: confirmed must be true or false");
    assertThatThrownBy(() -> parse(table(row("A", "\"7350-7340\"", "s", "true"))))
        .hasMessageContaining("A: device '7350-7340'");
    assertThatThrownBy(() -> parse(table(row("A", "\"67df\"", "s", "true").replace("\"bus\"", "\"reboot\""))))
        .hasMessageContaining("A: reset 'reboot' is not one of");
    assertThatThrownBy(() -> parse("{}")).hasMessageContaining("no families array");
  }

  @Test
  void overlappingRowsAreRefused() {
    assertThatThrownBy(() -> parse(table(row("A", "\"7340-734f\"", "s", "true"), row("B", "\"7347\"", "s", "true"))))
        .hasMessageContaining("1002:7340-734f (A) overlaps 7347 (B)");
    assertThatThrownBy(() -> parse(table(row("A", "\"7340-734f\", \"734f\"", "s", "true"))))
        .hasMessageContaining("overlaps 734f (A)");
  }
}
