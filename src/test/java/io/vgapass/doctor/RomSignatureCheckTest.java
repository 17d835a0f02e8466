package io.vgapass.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.host.GpuAnalyzer;
import io.vgapass.host.Host;
import io.vgapass.host.HostReader;
import io.vgapass.host.SysRoot;
import io.vgapass.testing.TranscribedHosts;
import io.vgapass.testing.OvmfVars;
import io.vgapass.testing.PeImages;
import io.vgapass.testing.RomFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * doctor's gpu.rom-signature on the MSI B450M fixture (its guest card has a UEFI ROM) with ROMs built here. Signed GOPs
 * are read from Debian's shim in io.vgapass.it.AuthenticodeDebianTest, where the installed packages are.
 */
class RomSignatureCheckTest {
  static final String GPU = "0000:26:00.0";
  static final String FIXTURE = "msi-b450m-mortar-max"; // its GTX 750 Ti (26:00.0) is a guest card with a UEFI ROM
  @TempDir Path tmp;

  /** The b560 host with Debian's enrolled template and this ROM on its GPU. */
  static Host host(Path tmp, byte[] rom, byte[] template) throws Exception {
    Path root = TranscribedHosts.hostWith(FIXTURE, tmp, FirmwareTrustCheckTest.ENROLLED);
    Files.write(root.resolve("usr/share/OVMF/OVMF_VARS_4M.ms.fd"), template);
    Path romFile = root.resolve("sys/bus/pci/devices/" + GPU + "/rom");
    Files.write(romFile.toRealPath(), rom);
    return HostReader.read(new SysRoot(root));
  }

  static List<Finding> findings(Host h) {
    return new RomSignatureCheck().check(new Check.HostView(h, GpuAnalyzer.analyze(h)));
  }

  @Test
  void anUnsignedGopIsABlankScreenUnderSecureBoot() throws Exception {
    List<Finding> f = findings(host(tmp, PeImages.romWithEfiImage(PeImages.unsigned(), false),
        OvmfVars.debian("OVMF_VARS_4M.ms.fd")));
    assertThat(f).singleElement().satisfies(x -> {
      assertThat(x.id()).isEqualTo("gpu.rom-signature");
      assertThat(x.severity()).isEqualTo(Severity.WARNING);
      assertThat(x.message()).contains("GPU " + GPU, "no Authenticode signature", "no picture until Windows loads");
      assertThat(x.fix()).contains("--no-secure-boot", "Option ROM UEFI CA 2023");
    });
  }

  @Test
  void aCompressedGopSignedByAnUnknownCaIsReadAndIsABlankScreen() throws Exception {
    // EDK2's EfiRom -ec made this ROM from a PE signed by a throwaway key (src/test/resources/io/vgapass/host/rom)
    List<Finding> f = findings(host(tmp, RomFixtures.bytes(RomFixtures.COMPRESSED_SIGNED),
        OvmfVars.debian("OVMF_VARS_4M.ms.fd")));
    assertThat(f).singleElement().satisfies(x -> {
      assertThat(x.severity()).isEqualTo(Severity.WARNING);
      assertThat(x.message()).contains("GPU " + GPU, "is signed, but not under a Microsoft CA",
          "no picture until Windows loads");
      assertThat(x.evidence()).contains("rom: EFI-compressed image (decompressed); Authenticode: "
          + RomFixtures.SIGNER + " <- " + RomFixtures.SIGNER);
      assertThat(x.fix()).contains("--no-secure-boot");
    });
  }

  @Test
  void aCompressedUnsignedGopIsUnsigned() throws Exception {
    List<Finding> f = findings(host(tmp, RomFixtures.bytes(RomFixtures.COMPRESSED_UNSIGNED),
        OvmfVars.debian("OVMF_VARS_4M.ms.fd")));
    assertThat(f).singleElement().satisfies(x -> {
      assertThat(x.severity()).isEqualTo(Severity.WARNING);
      assertThat(x.message()).contains("no Authenticode signature");
      assertThat(x.evidence()).contains("EFI-compressed image (decompressed); EFI image without a certificate table");
    });
  }

  @Test
  void aDamagedCompressedGopSaysWhyItCannotBeRead() throws Exception {
    byte[] rom = RomFixtures.bytes(RomFixtures.COMPRESSED_SIGNED);
    int stream = RomFixtures.imageStart(rom);
    java.nio.ByteBuffer.wrap(rom).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(stream + 4, -1); // 4 GiB original
    List<Finding> f = findings(host(tmp, rom, OvmfVars.debian("OVMF_VARS_4M.ms.fd")));
    assertThat(f).singleElement().satisfies(x -> {
      assertThat(x.severity()).isEqualTo(Severity.WARNING);
      assertThat(x.message()).contains("signature cannot be read");
      assertThat(x.evidence()).contains("the EFI-compressed image cannot be decompressed: the original size "
          + "4294967295 bytes is over the 16 MiB an option ROM can hold");
    });
  }

  /** Debian's shim (signed by Microsoft under the UEFI CA 2011 and the UEFI CA 2023) standing in for a signed GOP. */
  private static byte[] signedGop() throws Exception {
    io.vgapass.testing.LabAssumptions.assumeLab(); // reads the installed shim-signed package
    return PeImages.romWithEfiImage(Files.readAllBytes(Path.of("/usr/lib/shim/shimx64.efi.signed")), false);
  }

  @Test
  void aGopSignedUnderACaTheTemplateHoldsIsFine() throws Exception {
    List<Finding> f = findings(host(tmp, signedGop(), OvmfVars.debian("OVMF_VARS_4M.ms.fd")));
    assertThat(f).singleElement().satisfies(x -> {
      assertThat(x.severity()).isEqualTo(Severity.OK);
      assertThat(x.message()).contains("signed under Microsoft Corporation UEFI CA 2011 and Microsoft UEFI CA 2023",
          "which the Secure Boot template trusts");
      assertThat(x.evidence()).contains("Microsoft Windows UEFI Driver Publisher <- Microsoft Corporation UEFI CA 2011");
    });
  }

  @Test
  void aGopSignedUnderACaTheTemplateLacksIsABlankScreenAndEnrollIsTheFix() throws Exception {
    byte[] only2023Windows = OvmfVars.with(List.of(OvmfVars.microsoft("kek-microsoft-corporation-kek-2k-ca-2023.der")),
        List.of(OvmfVars.microsoft("db-windows-uefi-ca-2023.der")));
    List<Finding> f = findings(host(tmp, signedGop(), only2023Windows));
    assertThat(f).singleElement().satisfies(x -> {
      assertThat(x.severity()).isEqualTo(Severity.WARNING);
      assertThat(x.message()).contains("lacks in db", "no picture until Windows loads");
      assertThat(x.fix()).contains("vgapass firmware enroll --domain NAME");
    });
  }

  @Test
  void theFixturesSyntheticRomsWithoutAnEfiHeaderSayNothing() throws Exception {
    Host h = HostReader.read(new SysRoot(TranscribedHosts.hostWith(FIXTURE, tmp, FirmwareTrustCheckTest.ENROLLED)));
    assertThat(findings(h)).isEmpty();
  }
}
