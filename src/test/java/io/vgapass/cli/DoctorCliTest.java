package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vgapass.testing.TranscribedHosts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** doctor and capture through Main.run, on the reference machine and the fixtures. */
class DoctorCliTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path tmp;

  static JsonNode json(CliRunner.Result c) throws Exception {
    assertThat(c.err()).isEmpty();
    return JSON.readTree(c.out());
  }

  static List<String> ids(JsonNode doc, String severity) {
    List<String> out = new ArrayList<>();
    doc.get("findings").forEach(f -> {
      if (f.get("severity").asText().equals(severity)) out.add(f.get("id").asText());
    });
    return out;
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  static JsonNode gpu(JsonNode doc, String address) {
    for (JsonNode g : doc.get("gpus")) if (g.get("address").asText().equals(address)) return g;
    throw new AssertionError("no GPU " + address + " in " + doc.get("gpus"));
  }

  @Test
  void exampleFallsShortOnlyBecauseTheIommuIsOff() {
    CliRunner.Result c = CliRunner.run("doctor", "--example");
    assertThat(c.code()).isEqualTo(1);
    assertThat(c.err()).isEmpty();
    assertThat(c.out()).contains("iommu.inactive", "0000:01:00.0", "predicted from the PCI topology");
    assertThat(c.out().lines().filter(l -> l.trim().startsWith("ERROR "))).hasSize(1);
  }

  @Test
  void everyVerbAnswersVersionLikeTheTopLevel() {
    String top = CliRunner.run("--version").out();
    assertThat(top).startsWith("vgapass ");
    for (String[] verb : new String[][] {{"plan"}, {"doctor"}, {"host", "apply"}, {"share", "setup"}}) {
      String[] args = java.util.Arrays.copyOf(verb, verb.length + 1);
      args[verb.length] = "--version";
      CliRunner.Result c = CliRunner.run(args);
      assertThat(c.code()).as(String.join(" ", args)).isZero();
      assertThat(c.out()).as(String.join(" ", args)).isEqualTo(top);
    }
  }

  @Test
  void aMistypedVerbOrOptionGetsASuggestion() {
    CliRunner.Result verb = CliRunner.run("inptu", "devices");
    assertThat(verb.code()).isEqualTo(ExitCode.USAGE);
    assertThat(verb.errLines()).singleElement().asString().contains("did you mean input");
    CliRunner.Result option = CliRunner.run("plan", "--example", "--gpus", "0000:01:00.0");
    assertThat(option.code()).isEqualTo(ExitCode.USAGE);
    assertThat(option.errLines()).singleElement().asString().contains("did you mean --gpu");
  }

  @Test
  void exampleJsonHasTheDocumentedShape() throws Exception {
    CliRunner.Result c = CliRunner.run("doctor", "--example", "--json");
    assertThat(c.code()).isEqualTo(1);
    JsonNode doc = json(c);
    assertThat(doc.has("host")).isTrue();
    assertThat(doc.get("host").get("source").asText()).isEqualTo("example:reference-h97");
    assertThat(doc.get("gpus").isArray()).isTrue();
    assertThat(doc.get("findings").isArray()).isTrue();
    assertThat(ids(doc, "error")).containsExactly("iommu.inactive");
    for (JsonNode g : doc.get("gpus")) {
      for (String field : List.of("address", "ids", "vendor", "driver", "bootVga", "iommuGroup", "functions",
          "groupMembers", "isolated", "passable", "reasons")) {
        assertThat(g.has(field)).as("gpus[].%s", field).isTrue();
      }
      assertThat(g.get("functions").isArray()).isTrue();
      assertThat(g.get("reasons").isArray()).isTrue();
    }
    for (JsonNode f : doc.get("findings")) {
      for (String field : List.of("id", "severity", "message", "evidence", "fix")) {
        assertThat(f.has(field)).as("findings[].%s", field).isTrue();
      }
      assertThat(f.get("severity").asText()).isIn("error", "warning", "info", "ok");
    }
    JsonNode gtx = gpu(doc, "0000:01:00.0");
    assertThat(gtx.get("ids").asText()).isEqualTo("10de:1c03");
    assertThat(gtx.get("vendor").asText()).isEqualTo("NVIDIA");
    assertThat(gtx.get("driver").asText()).isEqualTo("nvidia");
    assertThat(gtx.get("bootVga").asBoolean()).isFalse();
    assertThat(texts(gtx.get("functions"))).containsExactly("0000:01:00.0", "0000:01:00.1");
    assertThat(texts(gtx.get("groupMembers"))).containsExactly("0000:00:01.0", "0000:01:00.0", "0000:01:00.1");
    assertThat(gtx.get("isolated").asBoolean()).isTrue();
    assertThat(gtx.get("passable").asBoolean()).isFalse();
    assertThat(texts(gtx.get("reasons"))).singleElement().asString().contains("IOMMU is off");
    JsonNode igpu = gpu(doc, "0000:00:02.0");
    assertThat(igpu.get("bootVga").asBoolean()).isTrue();
  }

  @Test
  void fixturesThroughTheCommandLine() {
    assertThat(CliRunner.run("doctor", "--sysroot", TranscribedHosts.host("asrock-z170", tmp).toString()).code()).isZero();
    assertThat(CliRunner.run("doctor", "--sysroot", TranscribedHosts.host("gigabyte-x570", tmp).toString()).code()).isZero();
    CliRunner.Result b560 = CliRunner.run("doctor", "--sysroot", TranscribedHosts.host("b560-single-gpu", tmp).toString());
    assertThat(b560.code()).isEqualTo(1);
    assertThat(b560.out()).contains("gpu.only-display", "gpu.host-display");
    // the only card: not passable while the host keeps a display, passable in single-GPU mode (its own verdict)
    assertThat(b560.out()).containsPattern("0000:03:00\\.0 .* single-GPU mode\n")
        .contains("0000:03:00.0: passable in single-GPU mode: the host has no display while the VM runs");
    CliRunner.Result acs = CliRunner.run("doctor", "--sysroot", TranscribedHosts.host("msi-mag-b550m-mortar-acso", tmp).toString());
    assertThat(acs.code()).isZero(); // the RTX 2070S is isolated without the override too
    assertThat(acs.out()).contains("iommu.acs-override", "gpu.host-gpu");
  }

  @Test
  void aCaptureReplaysToTheSameReport() throws Exception {
    Path root = TranscribedHosts.host("msi-b450m-mortar-max", tmp);
    Path archive = tmp.resolve("mortar-max.tar.gz");
    CliRunner.Result cap = CliRunner.run("capture", "--sysroot", root.toString(), "--out", archive.toString());
    assertThat(cap.code()).isZero();
    assertThat(cap.out()).contains("wrote", archive.toString());
    JsonNode direct = json(CliRunner.run("doctor", "--sysroot", root.toString(), "--json"));
    CliRunner.Result replayed = CliRunner.run("doctor", "--sysroot", archive.toString(), "--json");
    assertThat(replayed.code()).isZero();
    JsonNode back = json(replayed);
    ((ObjectNode) direct.get("host")).remove("source");
    ((ObjectNode) back.get("host")).remove("source");
    assertThat(back).isEqualTo(direct);
  }
}
