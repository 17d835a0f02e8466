package io.vgapass.cli;

import java.io.PrintWriter;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code vgapass generate-completion}: picocli's bash/zsh completion script. Not picocli's own
 * GenerateCompletion command, which is a help command and so ignores unknown options and words instead of refusing
 * them.
 */
@Command(name = "generate-completion",
    description = {"Print the bash/zsh completion script for vgapass.",
        "Load it with: source <(vgapass generate-completion)"})
final class CompletionCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    out.print(AutoComplete.bash(spec.root().name(), spec.root().commandLine()));
    out.flush();
  }
}
