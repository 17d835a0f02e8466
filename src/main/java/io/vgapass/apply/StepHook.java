package io.vgapass.apply;

import java.io.PrintStream;

/**
 * Called at every step boundary of an apply or undo (before and after each journal entry's change, and
 * between a file's temporary copy and its rename). Production runs do nothing here; tests stop the
 * process at boundary N to prove that a crash anywhere leaves whole files and a recoverable journal.
 *
 * <p>System properties (for a child JVM that the test kills): {@code vgapass.test.crashAt=N} throws
 * {@link SimulatedCrash} (an Error, so no roll-back runs: as if the process died) at the N-th boundary;
 * {@code vgapass.test.pauseAt=N} prints {@code vgapass-test: paused at N} and waits to be killed.
 */
public interface StepHook {
  void at(String point);

  StepHook NONE = point -> { };

  /** The process "died" here: nothing after this point runs, no roll-back either. */
  final class SimulatedCrash extends Error {
    private static final long serialVersionUID = 1L;

    public SimulatedCrash(String point) {
      super("simulated crash at " + point);
    }
  }

  /** Counts boundaries and crashes (or pauses) at the N-th; N &lt;= 0 never. */
  final class Counting implements StepHook {
    private final int crashAt;
    private final int pauseAt;
    private int count;

    public Counting(int crashAt, int pauseAt) {
      this.crashAt = crashAt;
      this.pauseAt = pauseAt;
    }

    public static StepHook fromSystemProperties() {
      int crash = Integer.getInteger("vgapass.test.crashAt", 0);
      int pause = Integer.getInteger("vgapass.test.pauseAt", 0);
      return crash <= 0 && pause <= 0 ? NONE : new Counting(crash, pause);
    }

    public int count() {
      return count;
    }

    @Override
    public void at(String point) {
      count++;
      if (count == crashAt) throw new SimulatedCrash(count + " " + point);
      if (count == pauseAt) {
        PrintStream out = System.out;
        out.println("vgapass-test: paused at " + count + " " + point);
        out.flush();
        try {
          Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
