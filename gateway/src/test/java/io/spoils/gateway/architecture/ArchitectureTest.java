package io.spoils.gateway.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the gateway's shape (README, "Architecture"): no package cycle, as {@code jdeps} sees the
 * compiled classes; the transport-neutral {@code service} and the {@code ingest} paths never reach
 * into the transports of {@code server}; no runtime package of the gateway or the feature engine
 * depends on a tooling package (training and evaluation, the tools jars); no main source file over
 * 400 lines. {@link PackagedJarsTest} checks the jars themselves once they are built.
 */
class ArchitectureTest {

  private static final String GATEWAY = "io.spoils.gateway";
  private static final Path CLASSES = Path.of("target", "classes");
  private static final Path SOURCES = Path.of("src", "main", "java");
  private static final int MAX_LINES = 400;

  private static PackageDependencies graph() {
    assertTrue(Files.isDirectory(CLASSES.resolve("io/spoils/gateway")),
        "compile the gateway first: " + CLASSES.toAbsolutePath());
    return PackageDependencies.of(CLASSES, GATEWAY);
  }

  @Test
  void packages_noCycle() {
    PackageDependencies g = graph();
    assertTrue(g.packages().contains(GATEWAY + ".service"), "jdeps saw " + g.packages());
    assertEquals(List.of(), g.cycles(), "package cycles in the gateway");
  }

  @Test
  void ingestAndService_neverImportTransports() {
    PackageDependencies g = graph();
    for (String from : List.of("ingest", "service", "pipeline", "backend", "failure")) {
      Set<String> deps = g.dependencies(GATEWAY + "." + from);
      assertFalse(deps.contains(GATEWAY + ".server"), from + " depends on server: " + deps);
      assertFalse(deps.contains(GATEWAY + ".cli"), from + " depends on cli: " + deps);
    }
    assertFalse(g.dependencies(GATEWAY + ".service").contains(GATEWAY + ".ingest"),
        "service depends on ingest");
  }

  @Test
  void failure_isALeaf() {
    assertEquals(Set.of(), graph().dependencies(GATEWAY + ".failure"));
  }

  @Test
  void runtimePackages_neverDependOnTooling() {
    Path featureEngine = location(io.spoils.feature.trees.XgbTreeGrader.class);
    Path featureTooling = location(io.spoils.feature.tooling.trees.TreesTrainer.class);
    Set<String> tooling = new java.util.TreeSet<>();
    for (Path classes : new java.util.LinkedHashSet<>(List.of(CLASSES, featureEngine,
        featureTooling))) {
      PackageDependencies g = PackageDependencies.of(classes, "io.spoils");
      for (String from : g.packages()) {
        if (isTooling(from)) {
          tooling.add(from);
          continue;
        }
        List<String> reached = g.dependencies(from).stream().filter(ArchitectureTest::isTooling)
            .toList();
        assertEquals(List.of(), reached,
            from + " (runtime, in " + classes + ") depends on tooling");
      }
    }
    assertTrue(tooling.containsAll(Set.of(GATEWAY + ".tooling", GATEWAY + ".tooling.cli",
        "io.spoils.feature.tooling.trees", "io.spoils.feature.tooling.dicom")),
        "jdeps saw these tooling packages: " + tooling);
  }

  /** A training or evaluation package: only in the tools jars. */
  static boolean isTooling(String pkg) {
    return pkg.contains(".tooling.") || pkg.endsWith(".tooling");
  }

  private static Path location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void mainSources_atMost400Lines() throws IOException {
    try (Stream<Path> files = Files.walk(SOURCES)) {
      List<String> over = files.filter(f -> f.toString().endsWith(".java"))
          .filter(f -> lines(f) > MAX_LINES)
          .map(f -> SOURCES.relativize(f) + " (" + lines(f) + " lines)").toList();
      assertEquals(List.of(), over, "main source files over " + MAX_LINES + " lines");
    }
  }

  private static long lines(Path file) {
    try (Stream<String> l = Files.lines(file)) {
      return l.count();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
