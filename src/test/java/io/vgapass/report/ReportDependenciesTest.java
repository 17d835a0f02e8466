package io.vgapass.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** DESIGN.md: report reads host, doctor and plan, and nothing else of ours (the CLI hands it the domain XML). */
class ReportDependenciesTest {
  private static final Pattern OURS = Pattern.compile("\\bio\\.vgapass\\.(\\w+)");

  @Test
  void reportUsesOnlyHostDoctorAndPlan() throws IOException {
    Path dir = Path.of("src/main/java/io/vgapass/report");
    List<Path> sources;
    try (Stream<Path> s = Files.list(dir)) {
      sources = s.filter(p -> p.toString().endsWith(".java")).toList();
    }
    assertThat(sources).isNotEmpty();
    for (Path p : sources) {
      Matcher m = OURS.matcher(Files.readString(p));
      while (m.find()) {
        assertThat(m.group(1)).as("%s uses io.vgapass.%s", p.getFileName(), m.group(1))
            .isIn("report", "host", "doctor", "plan");
      }
    }
  }
}
