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
 * into the transports of {@code server}; no main source file over 400 lines.
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
