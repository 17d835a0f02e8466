package io.vgapass.doctor;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Ordered from worst to best, so sorting findings puts errors first. */
public enum Severity {
  ERROR,
  WARNING,
  INFO,
  OK;

  @JsonValue
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
