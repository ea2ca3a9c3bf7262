package io.spoils.gateway.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runtime apart from tooling, on the packaged jars (the build's {@code packaged-jars} test run,
 * after {@code package}; the ordinary test run leaves it out): {@code spoils-gateway.jar} and
 * {@code lib/} (what the image carries) hold no tooling class and do not register the tool
 * commands; {@code spoils-gateway-tools.jar} and {@code tools-lib/} hold them; the two gateway jars
 * together hold every compiled class; and the runtime jar alone runs the CLI without the tool
 * commands, which the tools jar adds through {@link java.util.ServiceLoader}.
 */
class PackagedJarsTest {

  private static final Path TARGET = Path.of("target");
  private static final Path RUNTIME = TARGET.resolve("spoils-gateway.jar");
  private static final Path TOOLS = TARGET.resolve("spoils-gateway-tools.jar");
  private static final String SERVICE = "META-INF/services/io.spoils.gateway.cli.CommandSource";
  private static final List<String> TOOL_COMMANDS =
      List.of("train-trees", "evaluate-grading", "label-levels", "evaluate-series");

  @Test
  void runtimeJarAndLib_holdNoTooling() throws IOException {
    Set<String> runtime = entries(RUNTIME);
    assertTrue(runtime.contains("io/spoils/gateway/cli/Spoils.class"), "no CLI in " + RUNTIME);
    assertEquals(List.of(), tooling(runtime), "tooling in " + RUNTIME);
    assertFalse(runtime.contains(SERVICE), RUNTIME + " registers the tool commands");
    for (Path jar : jars(TARGET.resolve("lib"))) {
      assertFalse(jar.getFileName().toString().endsWith("-tools.jar"), "tools jar in lib: " + jar);
      assertEquals(List.of(), tooling(entries(jar)), "tooling in " + jar);
    }
    try (JarFile jar = new JarFile(RUNTIME.toFile())) {
      Manifest manifest = jar.getManifest();
      String classPath = manifest.getMainAttributes().getValue("Class-Path");
      for (String entry : classPath.trim().split("\\s+")) {
        assertFalse(entry.endsWith("-tools.jar"), "the runtime jar's Class-Path names " + entry);
        assertTrue(Files.isRegularFile(TARGET.resolve(entry)),
            "Class-Path entry missing: " + entry);
      }
    }
  }

  @Test
  void toolsJars_holdTheToolingAndTogetherEveryClass() throws IOException {
    Set<String> tools = entries(TOOLS);
    assertTrue(tools.contains("io/spoils/gateway/tooling/cli/ToolCommands.class"), "" + tools);
    assertTrue(tools.contains(SERVICE), TOOLS + " does not register the tool commands");
    List<String> notTooling = tools.stream().filter(e -> e.endsWith(".class"))
        .filter(e -> !e.startsWith("io/spoils/gateway/tooling/")).toList();
    assertEquals(List.of(), notTooling, "runtime classes in " + TOOLS);
    List<Path> featureTools = jars(TARGET.resolve("tools-lib")).stream()
        .filter(j -> j.getFileName().toString().startsWith("spoils-feature-engine-")).toList();
    assertEquals(1, featureTools.size(), "tools-lib: " + jars(TARGET.resolve("tools-lib")));
    assertTrue(entries(featureTools.get(0))
        .contains("io/spoils/feature/tooling/trees/TreesTrainer.class"), "" + featureTools);

    Set<String> packaged = new TreeSet<>(entries(RUNTIME));
    packaged.addAll(tools);
    Path classes = TARGET.resolve("classes");
    try (Stream<Path> files = Files.walk(classes)) {
      List<String> missing = files.filter(f -> f.toString().endsWith(".class"))
          .map(f -> classes.relativize(f).toString().replace('\\', '/'))
          .filter(c -> !packaged.contains(c)).toList();
      assertEquals(List.of(), missing, "compiled classes in neither gateway jar");
    }
  }

  @Test
  void cli_findsTheToolCommandsOnlyWithTheToolsJar() throws Exception {
    String runtimeHelp = help(RUNTIME.toString());
    assertTrue(runtimeHelp.contains("serve"), runtimeHelp);
    for (String command : TOOL_COMMANDS) {
      assertFalse(runtimeHelp.contains(command),
          command + " without the tools jar: " + runtimeHelp);
    }
    String separator = java.io.File.pathSeparator;
    String fullHelp = help(RUNTIME + separator + TOOLS + separator
        + TARGET.resolve("tools-lib").toAbsolutePath() + java.io.File.separator + "*");
    for (String command : TOOL_COMMANDS) {
      assertTrue(fullHelp.contains(command), command + " missing with the tools jar: " + fullHelp);
    }
  }

  /** {@code spoils --help} in a fresh JVM with {@code classPath}. */
  private static String help(String classPath) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "-cp", classPath,
        "io.spoils.gateway.cli.Spoils", "--help").redirectErrorStream(true).start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "spoils --help did not end");
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  private static List<String> tooling(Set<String> entries) {
    return entries.stream().filter(e -> e.contains("/tooling/")).toList();
  }

  private static Set<String> entries(Path jar) throws IOException {
    assertTrue(Files.isRegularFile(jar), "package the gateway first (mvn verify): " + jar);
    try (JarFile file = new JarFile(jar.toFile())) {
      Set<String> names = new TreeSet<>();
      file.stream().forEach(e -> names.add(e.getName()));
      return names;
    }
  }

  private static List<Path> jars(Path dir) throws IOException {
    assertTrue(Files.isDirectory(dir), "package the gateway first (mvn verify): " + dir);
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
    }
  }
}
