package io.vgapass.libvirt;

/**
 * A libvirt operation failed. The message is one line: the operation, what it was applied to, and libvirt's own
 * words, e.g. {@code start win-gpu: libvirt: Cannot set scheduler parameters for pid 1234: Operation not permitted}.
 */
public final class LibvirtFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** libvirt's code for "no domain with matching name/uuid". */
  public static final String NO_DOMAIN = "VIR_ERR_NO_DOMAIN";
  /** libvirt's code for "no network with matching name/uuid". */
  public static final String NO_NETWORK = "VIR_ERR_NO_NETWORK";

  private final String operation;
  private final String subject;
  private final String code;
  private final String libvirtMessage;

  /**
   * @param operation      what vgapass asked for, in virsh's words ("start", "net-define", ...)
   * @param subject        the domain or network it was asked for; null when there is none
   * @param code           libvirt's error code name (e.g. {@code VIR_ERR_NO_DOMAIN}); null when not from libvirt
   * @param libvirtMessage libvirt's message (or vgapass's own explanation when code is null)
   */
  public LibvirtFailure(String operation, String subject, String code, String libvirtMessage) {
    this(operation, subject, code, libvirtMessage,
        operation + (subject == null ? "" : " " + subject) + ": "
            + (code == null ? "" : "libvirt: ") + oneLine(libvirtMessage),
        null);
  }

  LibvirtFailure(String operation, String subject, String code, String libvirtMessage, String message,
          Throwable cause) {
    super(message, cause);
    this.operation = operation;
    this.subject = subject;
    this.code = code;
    this.libvirtMessage = libvirtMessage;
  }

  public String operation() {
    return operation;
  }

  /** The domain or network name, or null. */
  public String subject() {
    return subject;
  }

  /** libvirt's error code name such as {@code VIR_ERR_OPERATION_INVALID}, or null. */
  public String code() {
    return code;
  }

  public String libvirtMessage() {
    return libvirtMessage;
  }

  /** The domain or network named in the operation does not exist. */
  public boolean isNotFound() {
    return NO_DOMAIN.equals(code) || NO_NETWORK.equals(code);
  }

  static String oneLine(String s) {
    if (s == null || s.isBlank()) {
      return "(no message)";
    }
    return s.strip().replaceAll("\\s*\\R\\s*", "; ");
  }
}
