package io.vgapass.cli;

import picocli.CommandLine.Option;

/**
 * --domain NAME, required, for the commands that act on one libvirt domain. Commands where the domain is optional or
 * has a default (audio setup, guest, vm tune) declare their own, since there it means something else.
 */
public final class DomainOption {
  @Option(names = "--domain", required = true, paramLabel = "NAME", description = "The libvirt domain to act on.")
  String name;
}
