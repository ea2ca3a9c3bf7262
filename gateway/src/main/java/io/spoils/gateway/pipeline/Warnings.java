package io.spoils.gateway.pipeline;

import io.spoils.feature.anatomy.DiscLevel;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the feature engine's warning sentences into {@link PipelineEvent.Warning}s. Level labelling
 * and geometry write {@code CODE: sentence}; the code is kept and the disc named in the sentence
 * (e.g. "disc L4-L5") becomes the warning's level. Sentences without a code get the caller's.
 */
final class Warnings {

  private static final Pattern CODED = Pattern.compile("^([A-Z][A-Z0-9_]+): (.+)$", Pattern.DOTALL);

  private Warnings() {
  }

  /** The warning for {@code text}, with {@code fallbackCode} when the text carries no code. */
  static PipelineEvent.Warning of(String text, String fallbackCode) {
    Matcher m = CODED.matcher(text);
    String code = m.matches() ? m.group(1) : fallbackCode;
    String message = m.matches() ? m.group(2) : text;
    return new PipelineEvent.Warning(code, message, discNamed(message));
  }

  /** The one named disc level the sentence mentions, if exactly one. */
  static Optional<DiscLevel> discNamed(String message) {
    DiscLevel found = null;
    for (DiscLevel level : DiscLevel.values()) {
      if (level != DiscLevel.THORACIC && message.contains("disc " + level.displayName())) {
        if (found != null) {
          return Optional.empty();
        }
        found = level;
      }
    }
    return Optional.ofNullable(found);
  }
}
