package io.vgapass.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The domain of vm start, vm stop and verify: {@code --domain NAME}, as every other command that acts on a domain
 * takes it, or the word alone ({@code vm start NAME}), kept as the short form people already type.
 */
public final class DomainArgument {
  @Parameters(paramLabel = "NAME", arity = "0..1", description = "The libvirt domain (the same as --domain NAME).")
  String positional;

  @Option(names = "--domain", paramLabel = "NAME", description = "The libvirt domain to act on.")
  String option;

  /** The one name given; none, or two that differ, is refused in one line. */
  String name() {
    if (positional != null && option != null && !positional.equals(option)) {
      throw new UserError("two domains given: " + positional + " and --domain " + option + "; name one");
    }
    String n = option != null ? option : positional;
    if (n == null) throw new UserError("which domain? give --domain NAME (or the name alone); virsh list --all lists them");
    return n;
  }
}
