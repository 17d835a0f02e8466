package io.vgapass.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one write vgapass makes while reading a host, as a named step: the kernel hides a PCI expansion ROM until "1"
 * is written to the device's sysfs {@code rom} file, so on the live host, as root, a ROM that reads empty is
 * enabled, read, and switched off again ("0"). Called only for the live host ({@link SysRoot#isLive}: doctor's and
 * plan's {@link HostReader} on /, and {@code capture} of /); never on a capture or a --sysroot tree, where
 * {@code rom} is a plain file that must not be written (writing it stored "1" as the ROM once).
 */
final class RomDump {
  private RomDump() {}

  /** How the ROM's bytes are read once it is enabled (bounded and inside the root, as each caller reads). */
  @FunctionalInterface
  interface Read {
    byte[] bytes(Path rom) throws IOException;
  }

  /** Whether the step may run on this ROM file: the live host, and a file root may write. */
  static boolean applies(SysRoot root, Path rom) {
    return root.isLive() && Files.isWritable(rom);
  }

  /**
   * Enables the ROM, reads it, and switches it off again whatever happened; a failure to switch it off leaves it
   * readable, which is the state a BIOS often leaves it in anyway.
   */
  static byte[] read(Path rom, Read read) throws IOException {
    try {
      Files.writeString(rom, "1");
      return read.bytes(rom);
    } finally {
      try {
        Files.writeString(rom, "0");
      } catch (IOException ignored) {
        // nothing was enabled, or the switch refuses: reading is done either way
      }
    }
  }
}
