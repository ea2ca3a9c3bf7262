package io.spoils.gateway.server;

import io.spoils.gateway.failure.FailureCode;
import io.spoils.gateway.security.Authenticator;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;

/**
 * The authentication and authorisation filter ({@link Authenticator}): on both transports, a
 * request without a valid bearer credential for a route that needs one is refused with
 * UNAUTHENTICATED (HTTP 401 problem JSON, {@code WWW-Authenticate: Bearer realm="spoils"} plus,
 * when a credential was given, {@code error="invalid_token"}); a valid credential without the
 * route's scope with PERMISSION_DENIED (HTTP 403, {@code error="insufficient_scope"} and the
 * scope). Nothing is logged here, and no answer repeats the credential. With authentication off
 * it lets everything through.
 */
final class Authentication implements RequestFilter {

  static final String REALM = "Bearer realm=\"spoils\"";

  private final Authenticator authenticator;
  private final AccessLog log;

  /** @param log told each request's principal */
  Authentication(Authenticator authenticator, AccessLog log) {
    this.authenticator = authenticator;
    this.log = log;
  }

  @Override
  public boolean handle(HttpServerRequest req) {
    if (!authenticator.enabled()) {
      return false;
    }
    Authenticator.Decision d = authenticator.decide(req.method() == HttpMethod.POST, req.path(),
        Refusal.grpc(req), req.getHeader("Authorization"));
    if (d instanceof Authenticator.Unauthenticated u) {
      String challenge = u.credentialGiven() ? REALM + ", error=\"invalid_token\"" : REALM;
      Refusal.refuse(req, FailureCode.UNAUTHENTICATED, u.reason(),
          Map.of("WWW-Authenticate", challenge));
      return true;
    }
    if (d instanceof Authenticator.Forbidden f) {
      Refusal.refuse(req, FailureCode.PERMISSION_DENIED, "this route needs the scope "
          + f.needed().value(), Map.of("WWW-Authenticate", REALM
              + ", error=\"insufficient_scope\", scope=\"" + f.needed().value() + "\""));
      return true;
    }
    if (d instanceof Authenticator.Allowed a) {
      a.principal().ifPresent(p -> log.principal(req, p));
    }
    return false;
  }
}
