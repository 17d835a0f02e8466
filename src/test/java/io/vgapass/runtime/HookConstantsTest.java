package io.vgapass.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.domain.MetadataAttribute;
import io.vgapass.plan.ShieldPolicy;
import io.vgapass.domain.XmlDoc;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The facts the shell hook shares with Java come from Java: the dispatcher's generated header names every state kind,
 * metadata attribute, unshielded daemon and the namespace, and the shell's own files use those names, never the
 * words themselves (so renaming a kind or an attribute in Java changes both hooks).
 */
class HookConstantsTest {
  private static String resource(String name) throws IOException {
    try (InputStream in = HookScript.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void theHeaderIsGeneratedFromTheJavaThatHoldsEachFact() {
    String h = HookScript.constants();
    assertThat(h).contains("vgapass_ns='" + XmlDoc.VGAPASS_NS + "'\n");
    for (StateKind k : StateKind.values()) {
      assertThat(h).contains("vgapass_kind_" + k.name().toLowerCase() + "='" + k.id() + "'\n");
    }
    for (MetadataAttribute a : MetadataAttribute.values()) {
      assertThat(h).contains("vgapass_attr_" + a.name().toLowerCase() + "='" + a.element() + ":" + a.attribute()
          + "'\n");
    }
    for (String d : ShieldPolicy.UNSHIELDED_DAEMONS) assertThat(h).containsPattern("vgapass_unshielded='[^']*\\b" + d + "\\b");
    // rendered ahead of the functions that use it
    String script = HookScript.render("/usr/bin/java", "-jar /x.jar", null);
    assertThat(script.indexOf(h)).isPositive().isLessThan(script.indexOf("vgapass_release() {"));
  }

  @Test
  void theShellFilesUseTheNamesNotTheWords() throws IOException {
    String shell = resource("release.sh") + resource("prepare.sh");
    for (StateKind k : StateKind.values()) {
      // a kind's word only as part of a longer word (hugepages-2048kB, scaling_governor), never alone
      Matcher m = Pattern.compile("(?<![\\w/$.{-])" + Pattern.quote(k.id()) + "(?![\\w-])").matcher(shell);
      while (m.find()) {
        String line = shell.substring(shell.lastIndexOf('\n', m.start()) + 1, shell.indexOf('\n', m.start()));
        assertThat(line.strip()).as(k.id()).matches("#.*|.*log=\"\\$log; .*|.*vgapass_fail .*|.*# .*");
      }
    }
    for (MetadataAttribute a : MetadataAttribute.values()) {
      assertThat(shell).as(a.name()).doesNotContain(a.element() + ":" + a.attribute() + ")");
    }
    assertThat(shell).doesNotContain(XmlDoc.VGAPASS_NS);
    assertThat(Arrays.stream(shell.split("\n")).filter(l -> l.contains("virtqemud"))).isEmpty();
  }

  @Test
  void everyKindTheJavaHookRecordsIsOneOfTheEnum() {
    for (StateKind k : StateKind.values()) assertThat(StateKind.of(k.id())).isSameAs(k);
    assertThat(StateKind.of("hugepage")).isNull();
    assertThat(StateKind.of("")).isNull();
    assertThat(new StateStore.Entry(StateKind.GOVERNOR, "p", "x", 0).kind()).isEqualTo("governor");
  }
}
