package io.vgapass.host;

import java.util.List;

/**
 * What a device's expansion ROM holds.
 *
 * @param readable whether the ROM could be read at all (needs root on a live host)
 * @param codeTypes the code type of each image: 0 legacy x86 BIOS, 1 Open Firmware, 3 EFI
 */
public record OptionRom(boolean readable, List<Integer> codeTypes, String note) {

  public static OptionRom unknown(String why) {
    return new OptionRom(false, List.of(), why);
  }

  /** True, false, or null when the ROM could not be read. */
  public Boolean hasUefiImage() {
    return readable ? codeTypes.contains(3) : null;
  }
}
