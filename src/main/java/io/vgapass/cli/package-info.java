/**
 * Floor 4: the picocli commands, one class per verb, and their text and JSON rendering. A command parses, calls one
 * piece of the floors below, and renders; {@link io.vgapass.cli.Main#run} returns the exit code with the streams
 * injected. The only package that imports picocli. See {@code docs/architecture.md}.
 */
package io.vgapass.cli;
