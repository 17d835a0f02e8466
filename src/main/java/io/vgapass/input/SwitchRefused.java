package io.vgapass.input;

/** A switch that cannot be made as asked; nothing was changed. The CLI prints it as one line (exit 2). */
public final class SwitchRefused extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Why, so the switch-back service can answer with a matching status (404, 409, 400). */
  public enum Reason { NO_DOMAIN, NOT_RUNNING, BAD_DEVICE, LAST_KEYBOARD }

  private final Reason reason;

  public SwitchRefused(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
