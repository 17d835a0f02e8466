package io.vgapass.apply;

/** One directory of the journal: a whole, checked {@link Transaction}, or a {@link DamagedEntry}. */
public sealed interface JournalEntry permits Transaction, DamagedEntry {
  /** The directory's name: the UTC time of the apply, {@code yyyyMMddTHHmmssZ[-N]}. */
  String id();
}
