package io.spoils.gateway.backend;

import io.spoils.feature.trees.ModelInfo;
import io.spoils.feature.trees.XgbTreeGrader;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one-line provenance of a model ({@code spoils.v1.ModelInfo.provenance}), derived from the
 * files that ship with it and never written per model by hand, e.g. {@code trained on SPIDER (25
 * patients, CC BY 4.0), card triton-models/spine_segmentation/MODEL_CARD.md, sha256 0123456789ab}.
 *
 * <p>For a repository model: the data set and licence from the first bullet and the licence named
 * in its card's {@code ## Data...} section, the training patients from the repository's
 * {@code training/split.json} when the card names that split, the card's path (repository folder
 * name onwards, never an absolute path) and the first {@value #DIGEST_HEX} hex digits of the model
 * file's SHA-256. Parts that the files do not give are left out, never guessed.
 */
public final class ModelProvenance {

  /** Hex digits of the SHA-256 shown: enough to tell builds apart, short enough to read. */
  public static final int DIGEST_HEX = 12;
  static final String CARD = "MODEL_CARD.md";
  static final String SPLIT = "training/split.json";
  /** Provenance of untrained weights, instead of the training data and card. */
  public static final String UNTRAINED = "untrained weights (random initialisation), not a model";

  private static final Pattern DATA_HEADING = Pattern.compile("(?m)^##\\s+Data\\b.*$");
  private static final Pattern NEXT_HEADING = Pattern.compile("(?m)^#{1,2}\\s");
  private static final Pattern FIRST_BULLET = Pattern.compile("(?m)^[-*]\\s+([^:\\n]{1,60}):");
  private static final Pattern STATED_TRAIN = Pattern.compile("\\b(\\d{1,6}) train\\b");
  private static final Pattern LICENCE = Pattern.compile(
      "\\bCC[ -]BY(?:[ -](?:SA|NC|ND))*[ -]\\d\\.\\d\\b|\\bCC0\\b|\\bApache[ -]2\\.0\\b");

  private ModelProvenance() {}

  /**
   * Provenance of the repository model in {@code modelFolder} whose served file is
   * {@code modelFile}. Blocking: reads the card and hashes the model file.
   *
   * @throws ModelRepositoryException when the model file cannot be read
   */
  public static String ofRepositoryModel(Path root, Path modelFolder, Path modelFile) {
    return ofRepositoryModel(root, modelFolder, modelFile, false);
  }

  /**
   * {@link #ofRepositoryModel(Path, Path, Path)}; for a model whose config.pbtxt marks its weights
   * untrained ({@link ModelRepository#untrained}), {@value #UNTRAINED} and the digest only (its
   * folder's card, if any, describes other weights).
   */
  public static String ofRepositoryModel(Path root, Path modelFolder, Path modelFile,
      boolean untrained) {
    List<String> parts = new ArrayList<>();
    Path card = modelFolder.resolve(CARD);
    String where = folderName(root) + "/" + modelFolder.getFileName() + "/" + CARD;
    if (untrained) {
      parts.add(UNTRAINED);
    } else if (Files.isRegularFile(card)) {
      String text = readString(card);
      trainedOn(text, trainPatients(root, text)).ifPresent(parts::add);
      parts.add("card " + where);
    } else {
      parts.add("no model card (" + where + ")");
    }
    try (InputStream in = Files.newInputStream(modelFile)) {
      parts.add("sha256 " + sha256(in));
    } catch (IOException e) {
      throw new ModelRepositoryException("cannot read " + modelFile + ": " + e.getMessage(), e);
    }
    return String.join(", ", parts);
  }

  /**
   * Provenance of the gradient-boosted trees from their {@code model-info.json} training summary
   * ({@code dataset}, {@code patients}, {@code licence}); when {@code info} is that of the trees
   * bundled on the class path (same name, version and training summary), also their card and the
   * digest of their {@code model.json}. Blocking: reads the bundled files (about 1.4 MB).
   */
  public static String ofTrees(ModelInfo info) {
    List<String> parts = new ArrayList<>();
    Map<String, Object> training = info.training();
    if (training.get("dataset") instanceof String d && !d.isBlank()) {
      List<String> detail = new ArrayList<>();
      if (training.get("patients") instanceof Number n) {
        detail.add(n.longValue() + " patients");
      }
      if (training.get("licence") instanceof String l && !l.isBlank()) {
        detail.add(l);
      }
      parts.add("trained on " + d + (detail.isEmpty() ? "" : " (" + String.join(", ", detail)
          + ")"));
    }
    parts.add("model-info " + info.name() + " " + info.version());
    bundledTrees(info).ifPresent(parts::add);
    return String.join(", ", parts);
  }

  /** The bundled trees' card and digest, when {@code info} is theirs. */
  private static Optional<String> bundledTrees(ModelInfo info) {
    String dir = XgbTreeGrader.DEFAULT_RESOURCE_DIR + "/";
    ClassLoader loader = ModelProvenance.class.getClassLoader();
    try (InputStream infoIn = loader.getResourceAsStream(dir + XgbTreeGrader.INFO_FILE);
        InputStream model = loader.getResourceAsStream(dir + XgbTreeGrader.MODEL_FILE)) {
      if (infoIn == null || model == null) {
        return Optional.empty();
      }
      JsonObject bundled = new JsonObject(new String(infoIn.readAllBytes(),
          StandardCharsets.UTF_8));
      boolean same = info.name().equals(bundled.getString("name"))
          && info.version().equals(bundled.getString("version"))
          && JsonObject.mapFrom(info.training()).equals(bundled.getJsonObject("training"));
      if (!same) {
        return Optional.empty();
      }
      String card = loader.getResource(dir + CARD) != null ? "card (class path) " + dir + CARD
          + ", " : "";
      return Optional.of(card + "sha256 " + sha256(model));
    } catch (IOException | DecodeException | ClassCastException e) {
      return Optional.empty();
    }
  }

  /** The first {@value #DIGEST_HEX} hex digits of the SHA-256 of {@code in}, read to its end. */
  public static String sha256(InputStream in) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
    try (DigestInputStream digest = new DigestInputStream(in, sha)) {
      digest.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(sha.digest()).substring(0, DIGEST_HEX);
  }

  /** {@code trained on SPIDER (25 patients, CC BY 4.0)} from the card's data section. */
  static Optional<String> trainedOn(String card, Optional<Integer> patients) {
    Matcher heading = DATA_HEADING.matcher(card);
    if (!heading.find()) {
      return Optional.empty();
    }
    String section = card.substring(heading.end());
    Matcher next = NEXT_HEADING.matcher(section);
    section = next.find() ? section.substring(0, next.start()) : section;
    Matcher bullet = FIRST_BULLET.matcher(section);
    if (!bullet.find()) {
      return Optional.empty();
    }
    List<String> detail = new ArrayList<>();
    patients.ifPresent(p -> detail.add(p + " patients"));
    Matcher licence = LICENCE.matcher(section);
    if (licence.find()) {
      detail.add(licence.group());
    }
    return Optional.of("trained on " + bullet.group(1).trim()
        + (detail.isEmpty() ? "" : " (" + String.join(", ", detail) + ")"));
  }

  /**
   * The training patients: the count the card states ({@code 25 train}), else that of the
   * {@code train} list of the split the card names. The card comes first because the split now
   * covers several data folders (one patient split for all of them), so its list can be longer
   * than the set a model was trained on.
   */
  private static Optional<Integer> trainPatients(Path root, String card) {
    Matcher stated = STATED_TRAIN.matcher(card);
    if (stated.find()) {
      return Optional.of(Integer.parseInt(stated.group(1)));
    }
    Path split = root.resolve(SPLIT);
    if (!card.contains(SPLIT) || !Files.isRegularFile(split)) {
      return Optional.empty();
    }
    try {
      JsonArray train = new JsonObject(readString(split)).getJsonArray("train");
      return train == null ? Optional.empty() : Optional.of(train.size());
    } catch (DecodeException | ClassCastException e) {
      return Optional.empty();
    }
  }

  private static String folderName(Path root) {
    Path name = root.toAbsolutePath().normalize().getFileName();
    return name == null ? "" : name.toString();
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ModelRepositoryException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
