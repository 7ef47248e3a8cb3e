package io.inferis.server.feast;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * A JSON request body, read either as a tree or in one pass, token by token, by a route whose
 * requests are many and simple. Both apply the same limits (strict UTF-8, nesting, number and
 * string lengths).
 */
public interface JsonBody {

  /**
   * The body as a tree; an empty body is JSON null.
   *
   * @throws ClientError if it is not UTF-8 or not JSON
   */
  JsonNode tree();

  /**
   * A parser over the body, before its first token; its codec reads values as trees.
   *
   * @throws ClientError if the body is not UTF-8
   * @throws IOException if the parser cannot be made
   */
  JsonParser parser() throws IOException;
}
