package io.vgapass.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabAssumptionsTest {
  @Test
  void enabledFollowsTheSystemProperty() {
    String old = System.getProperty(LabAssumptions.IT_PROPERTY);
    try {
      System.clearProperty(LabAssumptions.IT_PROPERTY);
      assertThat(LabAssumptions.enabled()).isFalse();
      System.setProperty(LabAssumptions.IT_PROPERTY, "true");
      assertThat(LabAssumptions.enabled()).isTrue();
      System.setProperty(LabAssumptions.IT_PROPERTY, "false");
      assertThat(LabAssumptions.enabled()).isFalse();
    } finally {
      if (old == null) System.clearProperty(LabAssumptions.IT_PROPERTY);
      else System.setProperty(LabAssumptions.IT_PROPERTY, old);
    }
  }
}
