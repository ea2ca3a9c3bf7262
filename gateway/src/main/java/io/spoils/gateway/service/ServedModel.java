package io.spoils.gateway.service;

import io.spoils.gateway.backend.ModelRole;
import java.util.Objects;

/**
 * A model an analysis uses now, as ListModels shows it.
 *
 * @param name model name
 * @param version the version served (a repository version folder, or the trees' version)
 * @param role its part in the analysis; empty for a model the registry does not know
 * @param backend where it runs, e.g. {@code onnxruntime-cpu}, {@code triton}, {@code xgboost}
 * @param provenance where it comes from ({@code ""} when unknown)
 */
public record ServedModel(String name, String version, java.util.Optional<ModelRole> role,
    String backend, String provenance) {

  public ServedModel {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(provenance, "provenance");
  }
}
