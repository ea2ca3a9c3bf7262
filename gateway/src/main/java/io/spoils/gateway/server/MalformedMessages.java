package io.spoils.gateway.server;

import io.spoils.feature.InvalidInputException;
import io.vertx.grpc.common.CodecException;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.WireFormat;

/**
 * A request decoder that hands a message it cannot decode to the call's handler as {@code null}
 * instead of throwing: Vert.x 5.0.7 answers a {@link CodecException} from a decoder by resetting
 * the stream with CANCEL and no status, where the caller must get INVALID_ARGUMENT. Handlers turn
 * {@code null} into {@link #invalid()}. Stateless; thread-safe when the wrapped decoder is.
 */
final class MalformedMessages<T> implements GrpcMessageDecoder<T> {

  private final GrpcMessageDecoder<T> decoder;

  MalformedMessages(GrpcMessageDecoder<T> decoder) {
    this.decoder = decoder;
  }

  /** The failure of a call whose request message could not be decoded (INVALID_ARGUMENT). */
  static InvalidInputException invalid() {
    return new InvalidInputException("a request message is not a valid protobuf message");
  }

  /** The decoded message, or {@code null} when it is not a valid message of its type. */
  @Override
  public T decode(GrpcMessage msg) {
    try {
      return decoder.decode(msg);
    } catch (CodecException e) {
      return null;
    }
  }

  @Override
  public boolean accepts(WireFormat format) {
    return decoder.accepts(format);
  }
}
