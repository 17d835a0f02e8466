package io.vgapass.host;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Where each variable header of an OVMF variables file sits, in every state (added, deleted, in
 * transition), and where the store's free space begins: what an editor needs to append a variable the
 * way edk2's variable driver does (new copy after the last one, old copy marked deleted). The file is
 * first read whole by {@link EfiVarStore#keys}, so every size used here has already been checked.
 *
 * @param slots the variable headers in file order
 * @param free the offset of the first byte after the last variable (4-aligned), where a new one may go
 * @param end the offset of the first byte past the variable store
 */
public record EfiVarStoreLayout(List<Slot> slots, int free, int end) {
  /** The state byte of a live variable (edk2 records progress by clearing bits of erased flash: VAR_ADDED). */
  public static final int ADDED = 0x3F;
  /** VAR_IN_DELETED_TRANSITION and VAR_DELETED cleared as well (0x3F & 0xFE & 0xFD): how edk2 leaves a replaced variable. */
  public static final int DELETED = 0x3C;
  /** AUTHENTICATED_VARIABLE_HEADER: StartId, State, Reserved, Attributes, MonotonicCount, TimeStamp, PubKeyIndex, NameSize, DataSize, VendorGuid. */
  public static final int HEADER = 60;
  private static final int STORE_HEADER = 28;
  private static final int START_ID = 0x55AA;

  /**
   * One variable header.
   *
   * @param offset where its header starts in the file
   * @param state its state byte
   * @param name its name without the terminating NUL
   * @param vendor its vendor GUID, text form
   * @param nameAt where its UTF-16 name (NameSize bytes, with the NUL) starts
   * @param nameSize NameSize
   * @param dataSize DataSize; the data follows the name directly
   */
  public record Slot(int offset, int state, String name, String vendor, int nameAt, int nameSize, int dataSize) {
    public int dataAt() {
      return nameAt + nameSize;
    }

    public boolean live() {
      return state == ADDED;
    }
  }

  /** The layout of a file {@link EfiVarStore} reads without complaint (it is checked here first). */
  public static EfiVarStoreLayout of(byte[] file) throws EfiVarStore.Malformed {
    EfiVarStore.keys(file); // every size and signature list checked once, by the one parser
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    int headerLength = Short.toUnsignedInt(b.getShort(48));
    int end = headerLength + b.getInt(headerLength + 16);
    List<Slot> slots = new ArrayList<>();
    int at = align4(headerLength + STORE_HEADER);
    while (at + HEADER <= end && Short.toUnsignedInt(b.getShort(at)) == START_ID) {
      int nameSize = b.getInt(at + 36);
      int dataSize = b.getInt(at + 40);
      String name = new String(file, at + HEADER, nameSize, StandardCharsets.UTF_16LE);
      int nul = name.indexOf('\0');
      slots.add(new Slot(at, Byte.toUnsignedInt(b.get(at + 2)), nul < 0 ? name : name.substring(0, nul),
          EfiVarStore.guid(file, at + 44), at + HEADER, nameSize, dataSize));
      at = align4(at + HEADER + nameSize + dataSize);
    }
    return new EfiVarStoreLayout(List.copyOf(slots), Math.min(at, end), end);
  }

  /** The live copy of a variable, or null. */
  public Slot live(String vendor, String name) {
    for (Slot s : slots) if (s.live() && s.vendor().equals(vendor) && s.name().equals(name)) return s;
    return null;
  }

  /** True when every byte from {@link #free} to the store's end is erased flash (0xFF), as edk2 expects. */
  public boolean freeSpaceErased(byte[] file) {
    for (int i = free; i < end; i++) if (file[i] != (byte) 0xFF) return false;
    return true;
  }

  private static int align4(int n) {
    return (n + 3) & ~3;
  }
}
