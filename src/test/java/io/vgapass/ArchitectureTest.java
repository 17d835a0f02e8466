package io.vgapass;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The floors of docs/architecture.md, checked on the compiled main classes: a package imports only the packages on
 * the floors below it, and each third-party library stays in its one home. The tables here are the map's tables;
 * change both together.
 */
class ArchitectureTest {

  /** Floor of each top-level package; a package may depend on packages of a lower floor only. */
  static final Map<String, Integer> FLOORS =
      Map.ofEntries(
          Map.entry("host", 0),
          Map.entry("libvirt", 0),
          Map.entry("doctor", 1),
          Map.entry("plan", 1),
          Map.entry("report", 2),
          Map.entry("apply", 2),
          Map.entry("domain", 2),
          Map.entry("runtime", 3),
          Map.entry("verify", 3),
          Map.entry("share", 3),
          Map.entry("input", 3),
          Map.entry("guest", 3),
          Map.entry("cli", 4));

  /** Each library's packages, and the only vgapass packages that may use it. */
  static final Map<String, Set<String>> LIBRARY_HOMES =
      Map.ofEntries(
          Map.entry("picocli..", Set.of("cli")),
          Map.entry("org.libvirt..", Set.of("libvirt")),
          Map.entry("com.sun.jna..", Set.of("libvirt")),
          Map.entry("com.thaiopensource..", Set.of("domain")),
          Map.entry("org.w3c.dom..", Set.of("domain")),
          Map.entry("org.xml.sax..", Set.of("domain")),
          Map.entry("javax.xml..", Set.of("domain")),
          Map.entry("org.apache.commons.compress..", Set.of("host")),
          Map.entry("org.bouncycastle..", Set.of("host")),
          Map.entry("com.github.difflib..", Set.of("apply")),
          Map.entry("com.fasterxml.jackson..", Set.of("cli", "host", "doctor", "apply")),
          Map.entry("com.sun.net.httpserver..", Set.of("input")));

  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.vgapass");
  }

  @Test
  void everyPackageOfTheCodeHasAFloor() {
    Set<String> packages =
        classes.stream()
            .map(c -> topLevel(c.getPackageName()))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(packages).isNotEmpty().isSubsetOf(FLOORS.keySet());
  }

  @TestFactory
  Stream<DynamicTest> noPackageImportsItsOwnFloorOrAbove() {
    return FLOORS.keySet().stream()
        .sorted()
        .map(
            pkg ->
                DynamicTest.dynamicTest(
                    pkg,
                    () -> {
                      String[] forbidden =
                          FLOORS.entrySet().stream()
                              .filter(e -> !e.getKey().equals(pkg) && e.getValue() >= FLOORS.get(pkg))
                              .map(e -> "io.vgapass." + e.getKey() + "..")
                              .toArray(String[]::new);
                      if (forbidden.length == 0) return;
                      noClasses()
                          .that()
                          .resideInAPackage("io.vgapass." + pkg + "..")
                          .should()
                          .dependOnClassesThat()
                          .resideInAnyPackage(forbidden)
                          .because("docs/architecture.md: " + pkg + " is on floor " + FLOORS.get(pkg))
                          .check(classes);
                    }));
  }

  @TestFactory
  Stream<DynamicTest> eachLibraryStaysInItsHome() {
    return LIBRARY_HOMES.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(
            e ->
                DynamicTest.dynamicTest(
                    e.getKey(),
                    () ->
                        noClasses()
                            .that()
                            .resideOutsideOfPackages(homes(e.getValue()))
                            .should()
                            .dependOnClassesThat()
                            .resideInAPackage(e.getKey())
                            .because("docs/architecture.md: " + e.getKey() + " belongs to " + e.getValue())
                            .check(classes)));
  }

  @Test
  void everyPackageSaysWhatItOwns() throws IOException {
    Path sources = Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "src/main/java/io/vgapass");
    List<Path> packages;
    try (Stream<Path> walk = Files.walk(sources)) {
      packages =
          walk.filter(Files::isDirectory)
              .filter(d -> hasJavaFiles(d))
              .collect(Collectors.toList());
    }
    assertThat(packages).hasSizeGreaterThanOrEqualTo(FLOORS.size());
    for (Path dir : packages) {
      assertThat(dir.resolve("package-info.java")).as("package-info.java in " + sources.relativize(dir)).exists();
    }
  }

  private static boolean hasJavaFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.anyMatch(f -> f.toString().endsWith(".java"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String[] homes(Set<String> packages) {
    return packages.stream().map(p -> "io.vgapass." + p + "..").toArray(String[]::new);
  }

  private static String topLevel(String packageName) {
    String rest = packageName.substring("io.vgapass.".length());
    int dot = rest.indexOf('.');
    return dot < 0 ? rest : rest.substring(0, dot);
  }
}
