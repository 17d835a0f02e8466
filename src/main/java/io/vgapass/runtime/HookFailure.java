package io.vgapass.runtime;

/** A hook step that could not be done; libvirt shows the message and refuses the start. */
public class HookFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public HookFailure(String message) {
    super(message);
  }
}
