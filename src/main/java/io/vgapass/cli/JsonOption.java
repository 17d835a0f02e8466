package io.vgapass.cli;

import picocli.CommandLine.Option;

/** --json, for every command that reports: the same flag, one meaning, fields that are never renamed. */
public final class JsonOption {
  @Option(names = "--json", description = "Print JSON instead of text (its fields: docs/json.md).")
  boolean on;
}
