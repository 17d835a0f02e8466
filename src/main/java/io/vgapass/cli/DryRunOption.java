package io.vgapass.cli;

import picocli.CommandLine.Option;

/** --dry-run, for every command that changes something: shows each change and makes none. */
public final class DryRunOption {
  @Option(names = "--dry-run", description = "Show what would change (diffs, writes, commands); change nothing.")
  boolean on;
}
