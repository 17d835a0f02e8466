package io.vgapass.setup;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * The answers given so far, kept in /var/lib/vgapass/setup.state so the run after the reboot need not ask again. A
 * damaged file is said and replaced; without a terminal nothing is written.
 */
final class Progress {
  private final OwnStateFile stateFile;
  private final Setup.Mode mode;
  private final PrintWriter out;
  private SetupState state = SetupState.empty();

  Progress(OwnStateFile stateFile, Setup.Mode mode, PrintWriter out) {
    this.stateFile = stateFile;
    this.mode = mode;
    this.out = out;
  }

  SetupState state() {
    return state;
  }

  void load() {
    try {
      stateFile.read().ifPresent(t -> state = SetupState.parse(t));
    } catch (IOException | IllegalArgumentException e) {
      out.println("note: " + stateFile.shown() + " is damaged (" + e.getMessage() + "); setup asks again and "
          + "rewrites it (what is done is read from the host, not from that file)");
      state = SetupState.empty();
    }
  }

  void remember(String key, String value) {
    SetupState next = state.with(key, value);
    if (next.equals(state)) return;
    state = next;
    if (mode == Setup.Mode.SHOW) return;
    try {
      stateFile.write(state.format());
    } catch (IOException e) {
      out.println("note: cannot write " + stateFile.shown() + " (" + e.getMessage() + "); a later run asks again");
    }
  }
}
