package io.spoils.gateway.server;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.UnsafeByteOperations;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.grpc.common.CodecException;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.WireFormat;

/**
 * Decodes a protobuf request message in place: its {@code bytes} fields (the DICOM files, hundreds
 * of KB each) share the received buffer instead of being copied out of it. Vert.x's own decoder
 * copies the message twice (the buffer into a byte array, then each {@code bytes} field into its
 * own array), which for a 650 KB study is 1.3 MB of garbage per request and, at 64 studies in
 * flight, tens of MB of heap.
 *
 * <p>Safe because Vert.x hands gRPC handlers heap buffers it copied out of Netty's pooled ones (its
 * {@code safeBuffer}), which nothing reuses once the message has been delivered; and because it is
 * used for unary requests only, where the deframer never appends to a buffer after delivering a
 * message from it. Buffers without an accessible array, and the JSON wire format, go to Vert.x's
 * decoder.
 */
final class AliasingDecoder<T extends Message> implements GrpcMessageDecoder<T> {

  private final Parser<T> parser;
  private final GrpcMessageDecoder<T> fallback;

  AliasingDecoder(T defaultInstance) {
    @SuppressWarnings("unchecked")
    Parser<T> p = (Parser<T>) defaultInstance.getParserForType();
    this.parser = p;
    this.fallback = GrpcMessageDecoder.decoder(defaultInstance.newBuilderForType());
  }

  @Override
  public T decode(GrpcMessage msg) throws CodecException {
    ByteBuf bytes = array(msg);
    if (bytes == null) {
      return fallback.decode(msg);
    }
    // protobuf aliases only input it may treat as immutable, which it takes from a wrapped ByteString
    CodedInputStream in = UnsafeByteOperations.unsafeWrap(bytes.array(),
        bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes()).newCodedInput();
    in.enableAliasing(true);
    try {
      return parser.parseFrom(in);
    } catch (InvalidProtocolBufferException e) {
      throw new CodecException(e);
    }
  }

  /** The message's bytes when they are an uncompressed protobuf in a heap array, else null. */
  private static ByteBuf array(GrpcMessage msg) {
    Buffer payload = msg.payload();
    if (msg.format() != WireFormat.PROTOBUF || !(payload instanceof BufferInternal internal)) {
      return null;
    }
    ByteBuf buf = internal.getByteBuf();
    return buf.hasArray() ? buf : null;
  }

  @Override
  public boolean accepts(WireFormat format) {
    return fallback.accepts(format);
  }
}
