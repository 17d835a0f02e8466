package io.vgapass.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The state file is input: what setup wrote reads back, anything else is refused naming its line. */
class SetupStateTest {
  @Test
  void whatSetupWritesReadsBack() {
    SetupState s = SetupState.empty().with("gpu", "0000:01:00.0").with("memory", "16G").with("disk", "");
    assertThat(SetupState.parse(s.format())).isEqualTo(s);
    assertThat(s.format()).startsWith("# vgapass setup").contains("gpu=0000:01:00.0\n").doesNotContain("disk=");
  }

  @Test
  void anythingElseIsRefusedNamingTheLine() {
    assertThatThrownBy(() -> SetupState.parse("gpu=1\nnonsense\n")).hasMessage("line 2 is not key=value");
    assertThatThrownBy(() -> SetupState.parse("gpu=1\ngpu=2\n")).hasMessage("line 2: gpu given twice");
    assertThatThrownBy(() -> SetupState.parse("shell=rm\n")).hasMessage("line 1: unknown key 'shell'");
    assertThatThrownBy(() -> SetupState.parse("name=a\u001b[2Jb\n")).hasMessage("name: holds a control character");
    assertThatThrownBy(() -> SetupState.parse("disk=" + "x".repeat(600)))
        .hasMessage("disk: longer than 512 characters");
  }

  @Test
  void answersAreCheckedAsPlanChecksThem() {
    assertThat(VmQuestions.memory("16G")).isNull();
    assertThat(VmQuestions.memory("16000")).contains("with its unit");
    assertThat(VmQuestions.memory("512M")).isEqualTo("at least 1G");
    assertThat(VmQuestions.vcpus("4", 4)).isNull();
    assertThat(VmQuestions.vcpus("5", 4)).contains("1 to 4");
    assertThat(VmQuestions.name("win gpu")).contains("letters, digits");
    assertThat(VmQuestions.audio("alsa")).isEqualTo("pulseaudio, pipewire or none");
    assertThat(VmQuestions.input("none")).isNull();
    assertThat(VmQuestions.input("keyboard")).startsWith("none, evdev:");
  }
}
