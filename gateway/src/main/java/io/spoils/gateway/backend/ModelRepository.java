package io.spoils.gateway.backend;

import com.google.protobuf.TextFormat;
import io.spoils.proto.inference.ModelConfig;
import io.spoils.proto.inference.ModelInput;
import io.spoils.proto.inference.ModelOutput;
import io.spoils.proto.inference.ModelParameter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A Triton model repository folder read the way Triton reads it: every {@code <name>/config.pbtxt}
 * (protobuf text format of {@link ModelConfig}) with version folders {@code <name>/<version>/}
 * holding the model file ({@code model.onnx} unless {@code default_model_filename} says otherwise).
 *
 * <p>Rules: the config's {@code name} must equal the folder (an empty name takes the folder's, as in
 * Triton); version folders are those named by a positive decimal number not starting with 0, other
 * folders are ignored; the highest version holding the model file is served (Triton's default
 * policy, the only one supported). A folder with neither config.pbtxt nor version folders (such as
 * {@code training/}) is not a model and is skipped; hidden folders and plain files are ignored.
 * Loading also hashes each served model file for its {@link #provenance(String) provenance}.
 */
public final class ModelRepository {

  static final String CONFIG_FILE = "config.pbtxt";
  /**
   * The config.pbtxt parameter that marks weights that were never trained:
   * {@code parameters { key: "weights" value: { string_value: "untrained" } }} (written by
   * {@code training/export_segmentation.py} for a randomly initialised checkpoint).
   */
  public static final String WEIGHTS_PARAMETER = "weights";
  /** The value of {@link #WEIGHTS_PARAMETER} for untrained weights. */
  public static final String UNTRAINED = "untrained";
  static final String DEFAULT_MODEL_FILE = "model.onnx";

  private final Path root;
  private final Map<String, ModelSpec> models;
  private final Map<String, String> provenance;
  private final Set<String> untrained;

  private ModelRepository(Path root, Map<String, ModelSpec> models,
      Map<String, String> provenance, Set<String> untrained) {
    this.root = root;
    this.models = Collections.unmodifiableMap(models);
    this.provenance = Map.copyOf(provenance);
    this.untrained = Set.copyOf(untrained);
  }

  /**
   * Reads the repository at {@code root}.
   *
   * @throws ModelRepositoryException when the folder cannot be read or a model folder is malformed
   */
  public static ModelRepository load(Path root) {
    if (!Files.isDirectory(root)) {
      throw new ModelRepositoryException("model repository " + root + " is not a folder");
    }
    Map<String, ModelSpec> models = new TreeMap<>();
    Map<String, String> provenance = new TreeMap<>();
    Set<String> untrained = new TreeSet<>();
    for (Path folder : list(root)) {
      String name = folder.getFileName().toString();
      if (!Files.isDirectory(folder) || name.startsWith(".")) {
        continue;
      }
      boolean hasConfig = Files.isRegularFile(folder.resolve(CONFIG_FILE));
      if (!hasConfig && versionFolders(folder).isEmpty()) {
        continue;
      }
      if (!hasConfig) {
        throw new ModelRepositoryException("model " + name + ": no " + CONFIG_FILE + " in " + folder);
      }
      ModelConfig config = readConfig(folder);
      ModelSpec spec = readModel(folder, config);
      boolean random = UNTRAINED.equals(config.getParametersMap()
          .getOrDefault(WEIGHTS_PARAMETER, ModelParameter.getDefaultInstance()).getStringValue());
      models.put(name, spec);
      if (random) {
        untrained.add(name);
      }
      provenance.put(name, ModelProvenance.ofRepositoryModel(root, folder, spec.modelFile(), random));
    }
    return new ModelRepository(root, models, provenance, untrained);
  }

  /**
   * Whether the model named {@code name} has untrained weights ({@link #WEIGHTS_PARAMETER}): it
   * runs, but its outputs mean nothing. Tests that need real outputs skip such a model.
   */
  public boolean untrained(String name) {
    return untrained.contains(name);
  }

  /** The repository folder. */
  public Path root() {
    return root;
  }

  /** The models by name, sorted by name; empty when the folder holds none. */
  public Map<String, ModelSpec> models() {
    return models;
  }

  /** The model named {@code name}. */
  public Optional<ModelSpec> model(String name) {
    return Optional.ofNullable(models.get(name));
  }

  /**
   * Where the model named {@code name} comes from, one line derived from its folder's
   * {@code MODEL_CARD.md}, the repository's training split and the served file's SHA-256
   * ({@link ModelProvenance}); read once, when the repository was loaded.
   */
  public Optional<String> provenance(String name) {
    return Optional.ofNullable(provenance.get(name));
  }

  /** Parses {@code config.pbtxt} text into a {@link ModelConfig}. */
  public static ModelConfig parseConfig(String text, String where) {
    ModelConfig.Builder builder = ModelConfig.newBuilder();
    try {
      TextFormat.getParser().merge(text, builder);
    } catch (TextFormat.ParseException e) {
      throw new ModelRepositoryException(where + ": " + e.getMessage(), e);
    }
    return builder.build();
  }

  private static ModelConfig readConfig(Path folder) {
    return parseConfig(read(folder.resolve(CONFIG_FILE)), where(folder));
  }

  private static String where(Path folder) {
    return "model " + folder.getFileName() + " (" + folder.resolve(CONFIG_FILE) + ")";
  }

  private static ModelSpec readModel(Path folder, ModelConfig config) {
    String folderName = folder.getFileName().toString();
    String where = where(folder);
    if (!config.getName().isEmpty() && !config.getName().equals(folderName)) {
      throw new ModelRepositoryException(where + ": name \"" + config.getName()
          + "\" does not match its folder");
    }
    if (config.hasVersionPolicy() && !config.getVersionPolicy().hasLatest()) {
      throw new ModelRepositoryException(where + ": only the default (latest) version policy is supported");
    }
    if (config.getMaxBatchSize() < 0) {
      throw new ModelRepositoryException(where + ": max_batch_size must not be negative");
    }
    String platform = !config.getPlatform().isEmpty() ? config.getPlatform() : config.getBackend();
    if (platform.isEmpty()) {
      throw new ModelRepositoryException(where + ": neither platform nor backend is set");
    }
    String fileName = config.getDefaultModelFilename().isEmpty()
        ? DEFAULT_MODEL_FILE : config.getDefaultModelFilename();
    long version = latestVersion(folder, fileName).orElseThrow(() -> new ModelRepositoryException(
        where + ": no version folder (1, 2, ...) holds " + fileName));
    return new ModelSpec(folderName, version, platform, config.getMaxBatchSize(),
        inputs(config, where), outputs(config, where),
        folder.resolve(Long.toString(version)).resolve(fileName));
  }

  private static List<TensorSpec> inputs(ModelConfig config, String where) {
    List<TensorSpec> out = new ArrayList<>();
    for (ModelInput in : config.getInputList()) {
      out.add(tensor(in.getName(), in.getDataType(), in.getDimsList(), where + " input"));
    }
    if (out.isEmpty()) {
      throw new ModelRepositoryException(where + ": declares no input");
    }
    return out;
  }

  private static List<TensorSpec> outputs(ModelConfig config, String where) {
    List<TensorSpec> out = new ArrayList<>();
    for (ModelOutput o : config.getOutputList()) {
      out.add(tensor(o.getName(), o.getDataType(), o.getDimsList(), where + " output"));
    }
    if (out.isEmpty()) {
      throw new ModelRepositoryException(where + ": declares no output");
    }
    return out;
  }

  private static TensorSpec tensor(String name, io.spoils.proto.inference.DataType type,
      List<Long> dims, String where) {
    if (name.isEmpty()) {
      throw new ModelRepositoryException(where + " without a name");
    }
    if (type == io.spoils.proto.inference.DataType.TYPE_INVALID
        || type == io.spoils.proto.inference.DataType.UNRECOGNIZED) {
      throw new ModelRepositoryException(where + " " + name + ": data_type missing or unknown");
    }
    if (dims.isEmpty()) {
      throw new ModelRepositoryException(where + " " + name + ": dims missing");
    }
    for (long d : dims) {
      if (d == 0 || d < -1) {
        throw new ModelRepositoryException(where + " " + name + ": invalid dimension " + d);
      }
    }
    return new TensorSpec(name, type, dims);
  }

  /** Highest version folder that holds {@code fileName}. */
  static OptionalLong latestVersion(Path modelFolder, String fileName) {
    return versionFolders(modelFolder).stream()
        .filter(v -> Files.isRegularFile(modelFolder.resolve(Long.toString(v)).resolve(fileName)))
        .mapToLong(Long::longValue)
        .max();
  }

  /** Numeric version folder names, as Triton accepts them: digits only, no leading zero. */
  static List<Long> versionFolders(Path modelFolder) {
    List<Long> versions = new ArrayList<>();
    for (Path p : list(modelFolder)) {
      String n = p.getFileName().toString();
      if (Files.isDirectory(p) && n.matches("[1-9][0-9]{0,17}")) {
        versions.add(Long.parseLong(n));
      }
    }
    return versions;
  }

  private static List<Path> list(Path folder) {
    try (Stream<Path> s = Files.list(folder)) {
      return s.sorted().toList();
    } catch (IOException e) {
      throw new ModelRepositoryException("cannot list " + folder + ": " + e.getMessage(), e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ModelRepositoryException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
