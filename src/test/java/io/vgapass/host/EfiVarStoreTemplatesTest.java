package io.vgapass.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vgapass.testing.OvmfVars;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The parser on Debian's other templates (the 2 MiB flash's 128 KiB files, the snakeoil one) and on the broken
 * inputs {@link EfiVarStoreTest} does not already cover: erased flash, a store without authenticated variables,
 * a cut in the middle of a variable.
 */
class EfiVarStoreTemplatesTest {
  @Test
  void theTwoMegabyteTemplatesReadLikeTheFourMegabyteOnes() throws Exception {
    byte[] ms = OvmfVars.debian("OVMF_VARS.ms.fd");
    assertThat(ms).hasSize(128 * 1024);
    SecureBootKeys k = EfiVarStore.keys(ms);
    assertThat(k.kekHas(MicrosoftCerts.KEK_2011)).isTrue();
    assertThat(k.dbHas(MicrosoftCerts.UEFI_CA_2011)).isTrue();
    assertThat(k.kekHas(MicrosoftCerts.KEK_2023)).isFalse();
    assertThat(EfiVarStore.keys(OvmfVars.debian("OVMF_VARS.fd")).empty()).isTrue();
  }

  @Test
  void theSnakeoilTemplateHoldsNoMicrosoftKey() throws Exception {
    SecureBootKeys k = EfiVarStore.keys(OvmfVars.debian("OVMF_VARS_4M.snakeoil.fd"));
    assertThat(k.pk()).isNotEmpty();
    assertThat(k.db()).isNotEmpty();
    assertThat(k.pk()).extracting(EfiCert::microsoft).containsOnlyNulls();
    assertThat(k.db()).extracting(EfiCert::microsoft).containsOnlyNulls();
  }

  @Test
  void erasedFlashIsNotAVariablesFile() {
    byte[] erased = new byte[540672];
    Arrays.fill(erased, (byte) 0xFF);
    assertThatThrownBy(() -> EfiVarStore.keys(erased)).isInstanceOf(EfiVarStore.Malformed.class)
        .hasMessageContaining("_FVH");
  }

  @Test
  void aStoreWithoutAuthenticatedVariablesSaysSo() {
    byte[] plain = OvmfVars.debian("OVMF_VARS_4M.ms.fd");
    // gEfiVariableGuid ddcf3616-3275-4164-98b6-fe85707ffe7d where gEfiAuthenticatedVariableGuid was
    byte[] guid = {0x16, 0x36, (byte) 0xcf, (byte) 0xdd, 0x75, 0x32, 0x64, 0x41, (byte) 0x98, (byte) 0xb6, (byte) 0xfe,
        (byte) 0x85, 0x70, 0x7f, (byte) 0xfe, 0x7d};
    System.arraycopy(guid, 0, plain, 72, 16);
    assertThatThrownBy(() -> EfiVarStore.keys(plain)).isInstanceOf(EfiVarStore.Malformed.class)
        .hasMessageContaining("without authenticated variables");
  }

  @Test
  void aFileCutInsideAVariableIsOneError() throws Exception {
    byte[] ms = OvmfVars.debian("OVMF_VARS_4M.ms.fd");
    EfiVarStoreLayout.Slot kek = EfiVarStoreLayout.of(ms).live("8be4df61-93ca-11d2-aa0d-00e098032b8c", "KEK");
    byte[] cut = Arrays.copyOf(ms, kek.dataAt() + 100);
    assertThatThrownBy(() -> EfiVarStore.keys(cut)).isInstanceOf(EfiVarStore.Malformed.class)
        .hasMessageContaining("truncated").message().doesNotContain("\n");
  }
}
