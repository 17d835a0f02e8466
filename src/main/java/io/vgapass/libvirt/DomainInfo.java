package io.vgapass.libvirt;

import java.util.Objects;

/**
 * What libvirt says about one domain right now.
 *
 * @param name  the domain's name
 * @param uuid  its UUID, lower case with dashes
 * @param state its state, reduced to what vgapass acts on
 * @param id    the hypervisor id while the domain runs (or is paused), {@code -1} while it is shut off
 */
public record DomainInfo(String name, String uuid, State state, int id) {

  /** Domain states as vgapass needs them; libvirt's finer states (crashed, suspended to RAM, ...) are OTHER. */
  public enum State { RUNNING, PAUSED, SHUTOFF, OTHER }

  public DomainInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(state, "state");
  }

  /** True while a QEMU process exists for the domain (running or paused). */
  public boolean active() {
    return id >= 0;
  }
}
