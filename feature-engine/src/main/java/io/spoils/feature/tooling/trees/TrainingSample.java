package io.spoils.feature.tooling.trees;

import io.spoils.feature.decision.DiscClass;
import io.spoils.feature.geometry.DiscGeometry;
import java.util.Objects;

/**
 * One labelled disc for training.
 *
 * @param group the cross-validation group (patient): all discs of a group go to the same fold. An
 *     opaque key used only in memory, never written to outputs or messages
 * @param disc the disc's key within its group (SPIDER: the ivd_label), used to join predictions of
 *     other models on the same disc; empty when unknown. In memory only, like {@code group}
 * @param geometry the disc's measurements
 * @param label its reference class
 */
public record TrainingSample(String group, String disc, DiscGeometry geometry, DiscClass label) {
  public TrainingSample {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(disc, "disc");
    Objects.requireNonNull(geometry, "geometry");
    Objects.requireNonNull(label, "label");
  }

  /** A sample whose disc key is unknown. */
  public TrainingSample(String group, DiscGeometry geometry, DiscClass label) {
    this(group, "", geometry, label);
  }
}
