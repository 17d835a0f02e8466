package io.vgapass.setup;

import java.util.List;

/**
 * Runs one vgapass command line (without the leading "vgapass") the way a user typing it would, on the same output,
 * and returns its exit code. The CLI gives setup one; tests may give a recording one.
 */
@FunctionalInterface
public interface StepRunner {
  int run(List<String> args);
}
