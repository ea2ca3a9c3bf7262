package io.spoils.gateway.service;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Who asked for an analysis, for its audit line ({@link AuditLog}): never patient data or a
 * credential.
 *
 * @param entryPoint the route or method, e.g. {@code POST /v1/analyses},
 *     {@code /spoils.v1.AnalysisService/Analyze} or {@code dicom:c-store}
 * @param requestId the caller's correlation id (the proto's {@code request_id}, or the HTTP
 *     {@code X-Request-Id}), else a generated one
 * @param principal the authenticated caller's name ({@code token:<digest prefix>},
 *     {@code jwt:<sub>}, {@code ae:<calling AE title>}); empty when unauthenticated
 */
public record Caller(String entryPoint, String requestId, Optional<String> principal) {

  public Caller {
    Objects.requireNonNull(entryPoint, "entryPoint");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(principal, "principal");
  }

  /** An anonymous caller of {@code entryPoint} with a generated request id. */
  public static Caller of(String entryPoint) {
    return new Caller(entryPoint, UUID.randomUUID().toString(), Optional.empty());
  }
}
