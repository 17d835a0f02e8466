package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class ArgumentsTest {
  @Test
  void jacksonsSecondLineJoinsTheFirst() {
    String jackson = "Unexpected character ('n' (code 110)): was expecting double-quote to start field name\n"
        + " at [Source: (File); line: 1, column: 3]";
    assertThat(Arguments.oneLine(jackson)).isEqualTo("Unexpected character ('n' (code 110)): was expecting "
        + "double-quote to start field name at [Source: (File); line: 1, column: 3]");
  }

  @Test
  void controlCharactersInAMessageAreShownNotObeyed() {
    assertThat(Arguments.oneLine("no domain a\u001b[31mred\tx")).isEqualTo("no domain a\\u001b[31mred\\tx");
    assertThat(Arguments.oneLine(null)).isEqualTo("(no message)");
  }

  @Test
  void anArgumentWithAControlCharacterIsNamedByItsPlace() {
    assertThat(Arguments.controlCharacterRefusal(new String[] {"plan", "--name", "ok"})).isNull();
    assertThat(Arguments.controlCharacterRefusal(new String[] {"plan", "--name", "a\nb"}))
        .isEqualTo("argument 3 ('a\\nb') holds a control character (\\n); give each value on one line, without "
            + "control characters");
    assertThat(Arguments.controlCharacterRefusal(new String[] {"x\u0000"})).contains("(\\u0000)");
  }

  @Test
  void anEmptyPathIsNotTheCurrentDirectory() {
    assertThat(Arguments.path("a/b")).isEqualTo(Path.of("a/b"));
    assertThatThrownBy(() -> Arguments.path("")).isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("an empty path");
  }
}
