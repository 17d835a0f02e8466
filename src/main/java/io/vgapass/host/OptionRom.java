package io.vgapass.host;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What a device's expansion ROM holds.
 *
 * @param readable whether the ROM could be read at all (needs root on a live host)
 * @param codeTypes the code type of each image: 0 legacy x86 BIOS, 1 Open Firmware, 3 EFI
 * @param uefiSignature the Authenticode signature of the first EFI image's PE driver (the card's GOP); null when
 *     there is no EFI image with an EFI ROM header; read from the decompressed image when it is compressed
 * @param uefiCompressed the first EFI image is EFI-compressed (its signature is read after decompressing it)
 */
public record OptionRom(boolean readable, List<Integer> codeTypes, String note,
    // in JSON only when there is something to say (docs/json.md): absent before they existed, absent when unknown
    @JsonInclude(JsonInclude.Include.NON_NULL) AuthenticodeInfo uefiSignature,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean uefiCompressed) {

  public OptionRom(boolean readable, List<Integer> codeTypes, String note) {
    this(readable, codeTypes, note, null, false);
  }

  public static OptionRom unknown(String why) {
    return new OptionRom(false, List.of(), why);
  }

  /** True, false, or null when the ROM could not be read. */
  public Boolean hasUefiImage() {
    return readable ? codeTypes.contains(3) : null;
  }
}
