package io.vgapass.host;

/** Hybrid Intel parts have performance and efficient cores; everything else is UNIFORM. */
public enum CoreType {
  UNIFORM,
  PERFORMANCE,
  EFFICIENT
}
