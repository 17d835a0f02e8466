/**
 * Floor 3: the guided path, {@code vgapass setup}: audit, the card, the host's preparation and its reboot, the VM's
 * plan, definition, hooks and selftest, then the everyday commands. It decides which step comes next from what the
 * host shows (a step is done when the host shows it, not because a state file says so), asks the questions, and runs
 * each step as the plain vgapass command it prints, through a {@link io.vgapass.setup.StepRunner} the CLI gives it,
 * so every change goes the way the command itself makes it (host files through the journal).
 *
 * <p>May import floors 0 to 2; must not import {@code cli} or the other floor-3 packages. Its own progress (the
 * answers and the card) is kept in {@code /var/lib/vgapass/setup.state} under the root, written atomically by
 * {@link io.vgapass.setup.OwnStateFile} (through host.AtomicFiles) and read as possibly damaged input.
 */
package io.vgapass.setup;
