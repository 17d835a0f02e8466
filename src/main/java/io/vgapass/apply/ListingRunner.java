package io.vgapass.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Lists commands instead of running them: used for every root other than {@code /}, where the host's
 * tools would act on the wrong system.
 *
 * <p>Test hook: the system property {@code vgapass.test.failCommand} (a substring) makes a matching command
 * "fail", so the roll-back path runs end to end without a real failing tool.
 */
public final class ListingRunner implements CommandRunner {
  public static final String FAIL_PROPERTY = "vgapass.test.failCommand";
  private final List<List<String>> listed = new ArrayList<>();
  private final String failing;

  public ListingRunner() {
    this(System.getProperty(FAIL_PROPERTY));
  }

  public ListingRunner(String failing) {
    this.failing = failing == null || failing.isEmpty() ? null : failing;
  }

  @Override
  public Outcome run(List<String> argv, Consumer<String> lines) {
    listed.add(List.copyOf(argv));
    String shown = Shell.join(argv);
    if (failing != null && shown.contains(failing)) {
      lines.accept(argv.get(0) + ": simulated failure (" + FAIL_PROPERTY + ")");
      return new Outcome(1, argv.get(0) + ": simulated failure (" + FAIL_PROPERTY + ")");
    }
    return new Outcome(0, "");
  }

  @Override
  public boolean executes() {
    return false;
  }

  public List<List<String>> listed() {
    return List.copyOf(listed);
  }
}
