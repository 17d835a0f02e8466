package io.vgapass.apply;

/**
 * A journal entry vgapass cannot trust as it is: a copy that does not match its digest, a missing or
 * unreadable file, a state it does not know. Nothing is restored from it; the message names the file.
 *
 * @param file the damaged file, as the host shows it ("/var/lib/vgapass/journal/ID/0001.prior")
 * @param problem what is wrong with it, to follow the file's name ("does not match ...")
 * @param fix what the user can do, in one sentence
 * @param changedNothing none of its steps started (a half-made entry: a run stopped while writing it, or,
 *     before the lock, two runs raced): it never touched the host, so apply and undo pass over it
 * @param state its state when the state file could be read, else null
 */
public record DamagedEntry(String id, String file, String problem, String fix, boolean changedNothing, String state)
    implements JournalEntry {

  /** Its changes may be on the host now: apply and undo refuse until the user has dealt with it. */
  public boolean mayBeInEffect() {
    return !changedNothing && !Transaction.ROLLED_BACK.equals(state) && !Transaction.UNDONE.equals(state);
  }

  /** The one line for a refusal: the file, what is wrong, that nothing changed, what to do. */
  public String message() {
    return file + " " + problem + "; nothing was changed: " + fix;
  }

  /** What {@code host status} shows as its state. */
  public String label() {
    return changedNothing ? "half-made" : "damaged";
  }
}
