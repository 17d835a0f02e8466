package io.vgapass.cli;

/**
 * vgapass's exit codes, one meaning each, for every command: scripts and the libvirt hook read them.
 *
 * <ul>
 *   <li>{@link #OK} 0: done, or the host/VM has what was checked;</li>
 *   <li>{@link #SHORT} 1: the host or VM falls short (doctor or verify found errors);</li>
 *   <li>{@link #USAGE} 2: bad usage or input, said in one line; nothing was changed;</li>
 *   <li>{@link #FAILED} 3: an operation failed and everything it did was rolled back;</li>
 *   <li>{@link #INTERNAL} 70: a bug in vgapass (sysexits.h's EX_SOFTWARE), one line pointing at {@code --debug}.</li>
 * </ul>
 */
public final class ExitCode {
  public static final int OK = 0;
  public static final int SHORT = 1;
  public static final int USAGE = 2;
  public static final int FAILED = 3;
  /** Nothing the user gave explains it, so it must not look like 1, 2 or 3. */
  public static final int INTERNAL = 70;

  private ExitCode() {}
}
