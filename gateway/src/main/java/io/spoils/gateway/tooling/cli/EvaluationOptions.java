package io.spoils.gateway.tooling.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.spoils.gateway.cli.AnalyzeCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The options every evaluation command shares (a picocli mixin): the patient split, the model
 * repository and where the JSON report goes, with the report's writing.
 */
final class EvaluationOptions {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  @Option(names = "--split", required = true,
      description = "split.json with a \"validation\" patient list")
  Path split;

  @Option(names = "--models", paramLabel = "DIR",
      description = "Triton model repository (default: the repository's triton-models folder)")
  Path models;

  @Option(names = "--out", paramLabel = "FILE",
      description = "JSON output (default: a file under MODELS/evaluation/)")
  Path out;

  /** The split's validation patients. */
  Set<Integer> validation() {
    return EvaluateGradingCommand.patients(split, "validation");
  }

  /** The model repository: {@code --models} or the repository's own. */
  Path repository() {
    return models != null ? models : AnalyzeCommand.defaultModels();
  }

  /** Writes {@code report} to {@code --out}, else to {@code defaultOut} in the repository. */
  void write(Map<String, Object> report, String defaultOut, PrintWriter o) throws IOException {
    Path target = out != null ? out : repository().resolve(defaultOut);
    Files.createDirectories(target.toAbsolutePath().getParent());
    JSON.writeValue(target.toFile(), report);
    o.println("wrote " + target);
    o.flush();
  }
}
