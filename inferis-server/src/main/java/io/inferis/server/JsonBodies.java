package io.inferis.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.inferis.server.feast.ClientError;
import io.inferis.server.feast.JsonBody;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Request bodies as JSON: strict UTF-8 (RFC 8259), bounded nesting, number and string lengths; an
 * empty body is JSON null. A body that is not is a {@link ClientError} (400). Thread-safe.
 */
final class JsonBodies {

  private final ObjectMapper json = new ObjectMapper();

  JsonBodies(int maxBodyBytes) {
    json.getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(64)
                .maxNumberLength(64)
                .maxStringLength(maxBodyBytes)
                .build());
  }

  /** The mapper, with the same limits, for answers. */
  ObjectMapper mapper() {
    return json;
  }

  /** {@code raw} as a body a route reads as a tree or in one pass. */
  JsonBody body(byte[] raw) {
    return new JsonBody() {
      @Override
      public JsonNode tree() {
        return parse(raw);
      }

      @Override
      public JsonParser parser() throws IOException {
        requireUtf8(raw);
        return json.createParser(raw);
      }
    };
  }

  /**
   * {@code raw} parsed.
   *
   * @throws ClientError if it is not UTF-8 or not JSON
   */
  JsonNode parse(byte[] raw) {
    requireUtf8(raw);
    try {
      return raw.length == 0 ? JsonNodeFactory.instance.nullNode() : json.readTree(raw);
    } catch (JsonProcessingException e) {
      throw ClientError.malformed("malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ClientError.malformed("unreadable body");
    }
  }

  private static void requireUtf8(byte[] raw) {
    if (!isUtf8(raw)) {
      // Jackson lets some invalid sequences through in field names (an overlong 0xC0 0x80 became a
      // character), so a name could differ from what the client meant.
      throw ClientError.malformed("the request body is not valid UTF-8");
    }
  }

  private static boolean isUtf8(byte[] bytes) {
    // Request bodies are nearly always ASCII: check that without decoding the body a second time
    // (Jackson decodes it anyway); only other bodies go through the strict decoder.
    boolean ascii = true;
    for (byte b : bytes) {
      if (b < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return true;
    }
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
