package io.spoils.gateway.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import io.spoils.proto.v1.AnalyzeRequest;
import io.spoils.proto.v1.DicomFile;
import io.spoils.proto.v1.DicomFiles;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.CodecException;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.WireFormat;
import org.junit.jupiter.api.Test;

class AliasingDecoderTest {

  private final AliasingDecoder<AnalyzeRequest> decoder =
      new AliasingDecoder<>(AnalyzeRequest.getDefaultInstance());

  private static AnalyzeRequest request(byte[] content) {
    return AnalyzeRequest.newBuilder().setFiles(DicomFiles.newBuilder().addFiles(
        DicomFile.newBuilder().setName("slice.dcm").setContent(ByteString.copyFrom(content))))
        .build();
  }

  /** The message behind 5 bytes of framing, as Vert.x's deframer slices it out of its buffer. */
  private static Buffer framed(AnalyzeRequest request) {
    byte[] bytes = request.toByteArray();
    Buffer whole = Buffer.buffer().appendByte((byte) 0).appendInt(bytes.length).appendBytes(bytes);
    return whole.slice(5, whole.length());
  }

  @Test
  void decode_protobuf_equalsTheMessageAndSharesTheReceivedBytes() throws Exception {
    byte[] content = new byte[300_000];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i * 31);
    }
    AnalyzeRequest sent = request(content);
    Buffer payload = framed(sent);
    AnalyzeRequest got = decoder.decode(GrpcMessage.message("identity", payload));
    assertEquals(sent, got);
    // no copy: the file's bytes are the received buffer's
    int at = payload.length() - content.length;
    payload.setByte(at, (byte) (content[0] + 1));
    assertEquals((byte) (content[0] + 1), got.getFiles().getFiles(0).getContent().byteAt(0));
  }

  @Test
  void decode_json_fallsBackToVertxDecoder() throws Exception {
    AnalyzeRequest sent = request(new byte[] {1, 2, 3});
    Buffer json = Buffer.buffer(JsonFormat.printer().print(sent));
    AnalyzeRequest got = decoder.decode(GrpcMessage.message("identity", WireFormat.JSON, json));
    assertArrayEquals(new byte[] {1, 2, 3}, got.getFiles().getFiles(0).getContent().toByteArray());
  }

  @Test
  void decode_notProtobuf_codecException() {
    Buffer garbage = Buffer.buffer(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f});
    assertThrows(CodecException.class,
        () -> decoder.decode(GrpcMessage.message("identity", garbage)));
  }
}
