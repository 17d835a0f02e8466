package io.vgapass.plan;

/** The request cannot be planned on this host; the message says why and what to do. */
public class PlanRefused extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public PlanRefused(String message) {
    super(message);
  }
}
