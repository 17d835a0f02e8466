package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.testing.HostFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** doctor's GPU table: the host's boot VGA as "host display", cards named from pci.ids, columns that hold. */
class DoctorGpuTableTest {
  @TempDir Path tmp;

  /** pci.ids entries of the two cards in the MSI MAG B550M Mortar (as in /usr/share/misc/pci.ids). */
  private static final String PCI_IDS = "10de  NVIDIA Corporation\n\t128b  GK208B [GeForce GT 710]\n"
      + "\t1e84  TU104 [GeForce RTX 2070 SUPER]\n";

  private Path mortar(String name) throws IOException {
    Path root = HostFixtures.write(HostFixtures.Folder.TRANSCRIBED, name, tmp.resolve(name));
    Files.createDirectories(root.resolve("usr/share/misc"));
    Files.writeString(root.resolve("usr/share/misc/pci.ids"), PCI_IDS);
    return root;
  }

  /** The GT 710 is the boot VGA in a shared group: the host keeps it, which is no fault to fix. */
  @Test
  void theBootVgaTheHostKeepsIsTheHostDisplayNotAFault() throws IOException {
    CliRunner.Result r = CliRunner.run("doctor", "--sysroot", mortar("msi-mag-b550m-mortar").toString());
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(row(r, "0000:04:00.0")).endsWith("host display");
    assertThat(r.out()).doesNotContain("Should fix").doesNotContain("move the card to another slot")
        .contains("OK gpu.host-gpu: GPU 0000:04:00.0 (NVIDIA 10de:128b) drives the host's display (boot VGA)");
  }

  @Test
  void cardsAreNamedFromPciIds() throws IOException {
    CliRunner.Result r = CliRunner.run("doctor", "--sysroot", mortar("msi-mag-b550m-mortar").toString());
    assertThat(row(r, "0000:04:00.0")).contains(" NVIDIA GeForce GT 710 ");
    assertThat(row(r, "0000:2b:00.0")).contains(" NVIDIA GeForce RTX 2070 SUPER ");
    // without pci.ids the vendor stands alone
    Path bare = HostFixtures.write(HostFixtures.Folder.TRANSCRIBED, "msi-mag-b550m-mortar", tmp.resolve("bare"));
    assertThat(row(CliRunner.run("doctor", "--sysroot", bare.toString()), "0000:2b:00.0")).contains(" NVIDIA ")
        .doesNotContain("GeForce");
  }

  /** The ACS fixture's card spans groups 29-32, the longest group list of the fixtures: the columns still line up. */
  @Test
  void aLongGroupListKeepsTheColumns() throws IOException {
    CliRunner.Result r = CliRunner.run("doctor", "--sysroot", mortar("msi-mag-b550m-mortar-acso").toString());
    List<String> table = r.out().lines().dropWhile(l -> !l.startsWith("  ADDRESS")).takeWhile(l -> !l.isBlank()).toList();
    assertThat(table).hasSizeGreaterThan(1);
    int isolated = table.get(0).indexOf("ISOLATED");
    int verdict = table.get(0).indexOf("VERDICT");
    for (String row : table.subList(1, table.size())) {
      assertThat(row.substring(isolated - 1, isolated + 1)).as(row).matches(" [yn]");
      assertThat(row.charAt(verdict - 1)).as(row).isEqualTo(' ');
      assertThat(row.charAt(verdict)).as(row).isNotEqualTo(' ');
    }
    assertThat(row(r, "0000:2b:00.0")).contains(" 29,30,+2 ");
  }

  @Test
  void groupsAndNamesAreCutWithinTheirWidth() {
    assertThat(GpuTable.groups(List.of(29, 30, 31, 32), false, 8)).isEqualTo("29,30,+2");
    assertThat(GpuTable.groups(List.of(1), true, 8)).isEqualTo("1*");
    assertThat(GpuTable.groups(List.of(100, 101, 102), true, 8)).hasSizeLessThanOrEqualTo(8).isEqualTo("100,+2*");
    assertThat(GpuTable.fit("Advanced Micro Devices Navi 21 [Radeon RX 6800/6800 XT / 6900 XT]", 30)).hasSize(30)
        .endsWith("~");
  }

  private static String row(CliRunner.Result r, String address) {
    return r.out().lines().filter(l -> l.startsWith("  " + address)).findFirst().orElseThrow(() -> new AssertionError(r));
  }
}
