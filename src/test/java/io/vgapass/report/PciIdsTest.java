package io.vgapass.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.host.SysRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PciIdsTest {
  @TempDir Path tmp;

  private static final String SMALL = """
      # comment
      10de  NVIDIA Corporation
      \t1c03  GP106 [GeForce GTX 1060 6GB]
      \t\t1043 85b6  DUAL-GTX1060-O6G [GeForce GTX 1060 6GB Dual]
      \t10f1  GP106 High Definition Audio Controller
      8086  Intel Corporation
      \t0412  Xeon E3-1200 v3/4th Gen Core Processor Integrated Graphics Controller

      C 03  Display controller
      \t00  VGA compatible controller
      \t\t00  VGA controller
      \t02  3D controller
      C 0c  Serial bus controller
      \t03  USB controller
      \t\t30  XHCI
      """;

  @Test
  void vendorsDevicesSubsystemsAndClasses() {
    PciIds ids = PciIds.parse(SMALL, "x");
    assertThat(ids.vendor("10de")).isEqualTo("NVIDIA Corporation");
    assertThat(ids.vendor("0x10DE")).isEqualTo("NVIDIA Corporation");
    assertThat(ids.device("10de", "1c03")).isEqualTo("GP106 [GeForce GTX 1060 6GB]");
    assertThat(ids.device("8086", "0412")).startsWith("Xeon E3-1200 v3");
    assertThat(ids.subsystemName("10de", "1c03", "1043", "85b6")).isEqualTo("DUAL-GTX1060-O6G [GeForce GTX 1060 6GB Dual]");
    assertThat(ids.className(0x030000)).isEqualTo("VGA compatible controller");
    assertThat(ids.className(0x030200)).isEqualTo("3D controller");
    assertThat(ids.className(0x038000)).isEqualTo("Display controller");
    assertThat(ids.className(0x0c0330)).isEqualTo("USB controller (XHCI)");
  }

  @Test
  void unknownIdsFallBackToNumbers() {
    PciIds ids = PciIds.parse(SMALL, "x");
    assertThat(ids.vendor("1002")).isEqualTo("vendor 1002");
    assertThat(ids.device("10de", "2204")).isEqualTo("device 2204");
    assertThat(ids.subsystemName("10de", "1c03", "1462", "3283")).isNull();
    assertThat(ids.className(0x120000)).isEqualTo("class 0x120000");
    assertThat(PciIds.empty().vendor("10de")).isEqualTo("vendor 10de");
    assertThat(PciIds.empty().className(0x030000)).isEqualTo("class 0x030000");
  }

  @Test
  void classLinesDoNotLeakIntoTheLastVendor() {
    PciIds ids = PciIds.parse(SMALL, "x");
    assertThat(ids.deviceName("8086", "00")).isNull();
    assertThat(ids.deviceName("8086", "0003")).isNull();
  }

  @Test
  void readUnderTheRootDebianFirstThenFedora() throws Exception {
    assertThat(PciIds.load(new SysRoot(tmp)).file()).isNull();
    Path hwdata = tmp.resolve("usr/share/hwdata/pci.ids");
    Files.createDirectories(hwdata.getParent());
    Files.writeString(hwdata, "10de  From hwdata\n");
    assertThat(PciIds.load(new SysRoot(tmp)).vendor("10de")).isEqualTo("From hwdata");
    Path misc = tmp.resolve("usr/share/misc/pci.ids");
    Files.createDirectories(misc.getParent());
    Files.writeString(misc, "10de  From misc\n");
    PciIds ids = PciIds.load(new SysRoot(tmp));
    assertThat(ids.vendor("10de")).isEqualTo("From misc");
    assertThat(ids.file()).isEqualTo("usr/share/misc/pci.ids");
  }

  @Test
  void latin1BytesAndCrlfDoNotStopTheParse() throws Exception {
    Path misc = tmp.resolve("usr/share/misc/pci.ids");
    Files.createDirectories(misc.getParent());
    byte[] text = "1234  M\u00fcller GmbH\r\n\tabcd  Ger\u00e4t\r\n".getBytes(StandardCharsets.ISO_8859_1);
    Files.write(misc, text);
    PciIds ids = PciIds.load(new SysRoot(tmp));
    assertThat(ids.vendor("1234")).isEqualTo("M\u00fcller GmbH");
    assertThat(ids.device("1234", "abcd")).isEqualTo("Ger\u00e4t");
  }

  @Test
  void theMachinesRealDatabaseWhenInstalled() {
    Path real = Path.of("/usr/share/misc/pci.ids");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(real), "no /usr/share/misc/pci.ids (pciutils)");
    PciIds ids = PciIds.load(new SysRoot(Path.of("/")));
    assertThat(ids.vendorCount()).isGreaterThan(1000);
    assertThat(ids.vendor("10de")).contains("NVIDIA");
    assertThat(ids.device("10de", "1c03")).contains("GTX 1060");
    assertThat(ids.className(0x030000)).isEqualTo("VGA compatible controller");
    assertThat(ids.className(0x010802)).isEqualTo("Non-Volatile memory controller (NVM Express)");
  }
}
