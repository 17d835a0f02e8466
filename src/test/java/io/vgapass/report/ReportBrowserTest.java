package io.vgapass.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.cli.CliRunner;
import io.vgapass.testing.LargeHosts;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real browser renders the reports: headless Chromium (Debian's chromium package) takes
 * screenshots of the reference machine's and the large server's pages and pictures. The PNGs
 * (and a PDF print of the reference page) stay under target/report-browser/ as build artefacts.
 * Runs with -Dvgapass.it=true (scripts/test-all.sh installs chromium).
 */
class ReportBrowserTest {
  static final Path ARTEFACTS = Path.of("target", "report-browser");
  static final int PAGE_W = 1280;
  static final int PAGE_H = 2000;

  @TempDir static Path tmp;

  @BeforeAll
  static void gate() throws IOException {
    Assumptions.assumeTrue(Boolean.getBoolean("vgapass.it"), "browser test: run with -Dvgapass.it=true");
    Files.createDirectories(ARTEFACTS);
  }

  static String chromium() {
    for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
      for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
        if (Files.isExecutable(Path.of(dir, name))) return Path.of(dir, name).toString();
      }
    }
    throw new AssertionError("no chromium on PATH: apt-get install -y chromium (scripts/test-all.sh installs it)");
  }

  /** Runs headless Chromium on a local file, offline, with its own profile; fails on a non-zero exit or timeout. */
  static void chromium(Path file, String output, int w, int h) throws Exception {
    Path profile = Files.createTempDirectory(tmp, "chromium-profile-");
    List<String> cmd = new ArrayList<>(List.of(chromium(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + profile, output, "--window-size=" + w + "," + h,
        file.toAbsolutePath().toUri().toString()));
    Path log = ARTEFACTS.resolve(file.getFileName() + ".chromium.log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish in 180 s: " + cmd);
    }
    assertThat(p.exitValue()).as("chromium exit, see %s", log).isZero();
  }

  static BufferedImage screenshot(Path file, Path png, int w, int h) throws Exception {
    Files.deleteIfExists(png);
    chromium(file, "--screenshot=" + png.toAbsolutePath(), w, h);
    assertThat(png).exists();
    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img).as("%s is a PNG", png).isNotNull();
    assertThat(img.getWidth()).as("width of %s", png).isEqualTo(w);
    assertThat(img.getHeight()).as("height of %s", png).isEqualTo(h);
    return img;
  }

  /** Not blank: luminance varies, and a fair share of pixels is not background. */
  static void assertNotBlank(BufferedImage img, String what) {
    long n = 0;
    double sum = 0;
    double sq = 0;
    long ink = 0;
    for (int y = 0; y < img.getHeight(); y += 2) {
      for (int x = 0; x < img.getWidth(); x += 2) {
        int rgb = img.getRGB(x, y);
        double l = 0.299 * (rgb >> 16 & 0xff) + 0.587 * (rgb >> 8 & 0xff) + 0.114 * (rgb & 0xff);
        sum += l;
        sq += l * l;
        if (l < 235) ink++;
        n++;
      }
    }
    double mean = sum / n;
    double variance = sq / n - mean * mean;
    assertThat(variance).as("luminance variance of %s", what).isGreaterThan(100);
    assertThat((double) ink / n).as("share of drawn pixels in %s", what).isGreaterThan(0.03);
  }

  static int[] size(Path svg) throws IOException {
    String head = Files.readString(svg).substring(0, 400);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("width=\"(\\d+)\" height=\"(\\d+)\"").matcher(head);
    assertThat(m.find()).isTrue();
    return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
  }

  static void report(String name, String... source) throws IOException {
    List<String> args = new ArrayList<>(List.of("report"));
    args.addAll(List.of(source));
    args.addAll(List.of("--out", ARTEFACTS.resolve(name + ".html").toString(),
        "--svg-groups", ARTEFACTS.resolve(name + "-groups.svg").toString(),
        "--svg-cpus", ARTEFACTS.resolve(name + "-cpus.svg").toString()));
    CliRunner.Result r = CliRunner.run(args);
    assertThat(r.code()).as(r.err()).isZero();
  }

  void renderAll(String name) throws Exception {
    Path html = ARTEFACTS.resolve(name + ".html");
    assertNotBlank(screenshot(html, ARTEFACTS.resolve(name + ".png"), PAGE_W, PAGE_H), name + ".png");
    for (String pic : List.of("groups", "cpus")) {
      Path svg = ARTEFACTS.resolve(name + "-" + pic + ".svg");
      int[] wh = size(svg);
      int h = Math.min(wh[1], 16000);
      assertNotBlank(screenshot(svg, ARTEFACTS.resolve(name + "-" + pic + ".png"), wh[0], h), svg.toString());
    }
  }

  @Test
  void referenceMachine() throws Exception {
    report("reference", "--example");
    renderAll("reference");
    Path pdf = ARTEFACTS.resolve("reference.pdf");
    Files.deleteIfExists(pdf);
    chromium(ARTEFACTS.resolve("reference.html"), "--print-to-pdf=" + pdf.toAbsolutePath(), PAGE_W, PAGE_H);
    byte[] bytes = Files.readAllBytes(pdf);
    assertThat(new String(bytes, 0, 5, StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-");
    assertThat(bytes.length).as("the printed page holds the pictures").isGreaterThan(20_000);
  }

  @Test
  void largeServer() throws Exception {
    Path root = LargeHosts.write(tmp.resolve("large"), Reports.pciIdsFile("usr/share/misc/pci.ids"));
    report("large", "--sysroot", root.toString(), "--gpu", "0000:1a:00.0");
    renderAll("large");
  }
}
