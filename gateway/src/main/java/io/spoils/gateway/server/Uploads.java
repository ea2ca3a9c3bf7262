package io.spoils.gateway.server;

import io.spoils.gateway.config.ConnectionOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

/**
 * The limits on requests still arriving that one server's HTTP and gRPC endpoints share: the
 * {@link UploadBudget} and the minimum upload rate ({@link UploadPace}), as
 * {@link ConnectionOptions} set them. Thread-safe.
 */
final class Uploads {

  private final ConnectionOptions options;
  private final UploadBudget budget;

  Uploads(ConnectionOptions options) {
    this.options = options;
    this.budget = new UploadBudget(options.budgetBytes());
  }

  /** With the default options (the budget derived from this JVM's heap). */
  static Uploads defaults() {
    return new Uploads(ConnectionOptions.defaults());
  }

  ConnectionOptions options() {
    return options;
  }

  UploadBudget budget() {
    return budget;
  }

  /**
   * A watch over {@code request}'s body (its pace; with {@code charge}, its bytes counted into it
   * as they arrive).
   *
   * @param request the raw request; null watches nothing
   * @param charge null when the caller counts the bytes itself
   */
  UploadPace pace(Vertx vertx, HttpServerRequest request, UploadBudget.Hold charge) {
    return new UploadPace(vertx, options, request, charge);
  }
}
