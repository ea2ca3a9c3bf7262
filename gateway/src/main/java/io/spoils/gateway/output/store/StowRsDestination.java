package io.spoils.gateway.output.store;

import io.spoils.gateway.backend.Deadline;
import io.spoils.gateway.config.PacsOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.spoils.gateway.security.PacsHttp;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;

/**
 * STOW-RS to a configured DICOMweb PACS: one {@code POST {url}/studies} with every object as a
 * part of a {@code multipart/related; type="application/dicom"} body, the PACS's basic-auth
 * credentials, {@code Accept: application/dicom+json}, non-blocking on Vert.x's HTTP client and
 * reset at the deadline. HTTP 200 or 202 without a Failed SOP Sequence (0008,1198) in the answer is
 * success. Unreachable, 408, 429 and 5xx are worth another try; 4xx, a refused object and
 * credentials refused are not.
 */
public final class StowRsDestination implements StoreDestination {

  /** Failed SOP Sequence, in DICOM JSON. */
  static final String FAILED_SOP_SEQUENCE = "00081198";

  private final Vertx vertx;
  private final String pacsName;
  private final PacsOptions pacs;
  private final HttpClientAgent http;

  /**
   * @param pacsName the PACS's configured name, for the outcome
   * @param http the client to post with; not owned
   */
  public StowRsDestination(Vertx vertx, String pacsName, PacsOptions pacs, HttpClientAgent http) {
    this.vertx = vertx;
    this.pacsName = pacsName;
    this.pacs = pacs;
    this.http = http;
  }

  @Override
  public String name() {
    return "DICOMweb PACS " + pacsName;
  }

  @Override
  public Future<Void> send(List<byte[]> objects, Deadline deadline) {
    long ms = deadline.remaining().toMillis();
    if (ms <= 0) {
      return Future.failedFuture(timedOut());
    }
    String boundary = "spoils-" + UUID.randomUUID();
    RequestOptions ro = new RequestOptions().setMethod(HttpMethod.POST)
        .setAbsoluteURI(pacs.url() + "/studies").setConnectTimeout(ms).setIdleTimeout(ms)
        .putHeader("Content-Type", "multipart/related; type=\"application/dicom\"; boundary="
            + boundary)
        .putHeader("Accept", "application/dicom+json");
    Promise<Void> result = Promise.promise();
    long timer = vertx.setTimer(ms, id -> result.tryFail(new StoreException(name()
        + " did not answer before the store deadline", false)));
    result.future().onComplete(ar -> vertx.cancelTimer(timer));
    Buffer body = body(objects, boundary);
    PacsHttp.authorization(vertx, pacs).onFailure(e -> result.tryFail(new StoreException(name()
        + ": " + e.getMessage(), false))).onSuccess(auth -> {
          auth.ifPresent(a -> ro.putHeader("Authorization", a));
          send(ro, body, result);
        });
    return result.future();
  }

  private void send(RequestOptions ro, Buffer body, Promise<Void> result) {
    if (result.future().isComplete()) {
      return;
    }
    http.request(ro).onFailure(e -> result.tryFail(unreachable())).onSuccess(req -> {
      req.exceptionHandler(e -> result.tryFail(unreachable()));
      result.future().onFailure(e -> req.reset());
      req.send(body).onFailure(e -> result.tryFail(unreachable()))
          .onSuccess(response -> answer(response, result));
    });
  }

  private void answer(HttpClientResponse response, Promise<Void> result) {
    int code = response.statusCode();
    response.body().onFailure(e -> result.tryFail(unreachable())).onSuccess(body -> {
      if (code == 200 || code == 202) {
        int failed = failedObjects(body);
        if (failed == 0) {
          result.tryComplete();
        } else {
          result.tryFail(new StoreException(name() + " refused " + failed + " of the objects",
              false));
        }
      } else if (code == 401 || code == 403) {
        result.tryFail(new StoreException(name() + " refused the gateway's credentials (HTTP "
            + code + ")", false));
      } else {
        boolean again = code >= 500 || code == 408 || code == 429;
        result.tryFail(new StoreException(name() + " answered HTTP " + code, again));
      }
    });
  }

  /** The number of entries of the Failed SOP Sequence; 0 for an empty or unreadable answer. */
  static int failedObjects(Buffer body) {
    if (body.length() == 0) {
      return 0;
    }
    try {
      JsonObject json = new JsonObject(body);
      JsonObject failed = json.getJsonObject(FAILED_SOP_SEQUENCE);
      return failed == null || failed.getJsonArray("Value") == null ? 0
          : failed.getJsonArray("Value").size();
    } catch (DecodeException | ClassCastException e) {
      return 0;
    }
  }

  static Buffer body(List<byte[]> objects, String boundary) {
    Buffer body = Buffer.buffer();
    for (byte[] object : objects) {
      body.appendString("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n")
          .appendBytes(object).appendString("\r\n");
    }
    return body.appendString("--" + boundary + "--\r\n");
  }

  private StoreException unreachable() {
    return new StoreException(name() + " is unreachable or did not answer in time", true);
  }

  private StoreException timedOut() {
    return new StoreException(name() + " was not tried: the store deadline had passed", false);
  }
}
