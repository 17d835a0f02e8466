package io.vgapass.apply;

/**
 * vgapass will not make these changes: the message names the input, the problem and the way out, in one
 * line. Nothing has been changed when it is thrown.
 */
public final class Refusal extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public Refusal(String message) {
    super(message);
  }
}
