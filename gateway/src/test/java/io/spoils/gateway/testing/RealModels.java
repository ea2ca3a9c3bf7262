package io.spoils.gateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the trained models of a Triton-layout model repository ({@code triton-models/}) lie, for
 * tests that skip without them: the {@code model.onnx} of a model's newest numbered version folder,
 * the one {@link io.spoils.gateway.backend.ModelRepository} serves by default. A model retrained
 * into a new version folder needs no test edited.
 */
public final class RealModels {

  private RealModels() {
  }

  /** {@code root/model/N/model.onnx} for the largest N that has one, if any. */
  public static Optional<Path> onnx(Path root, String model) {
    Path dir = root.resolve(model);
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(dir)) {
      return versions
          .filter(p -> p.getFileName().toString().matches("[0-9]{1,9}"))
          .filter(p -> Files.isRegularFile(p.resolve("model.onnx")))
          .max((a, b) -> Integer.compare(Integer.parseInt(a.getFileName().toString()),
              Integer.parseInt(b.getFileName().toString())))
          .map(p -> p.resolve("model.onnx"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether {@link #onnx} finds the model. */
  public static boolean present(Path root, String model) {
    return onnx(root, model).isPresent();
  }
}
