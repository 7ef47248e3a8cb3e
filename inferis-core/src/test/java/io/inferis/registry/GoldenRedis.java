package io.inferis.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inferis.testing.RedisNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HexFormat;

/**
 * Loads the bytes the real Feast left in Redis ({@code real-feast/golden/redis_dump.json}) into a
 * test's server with raw HSETs, so it holds exactly what Feast's server read from.
 */
public final class GoldenRedis {

  private GoldenRedis() {}

  /** Empties {@code node} and writes every key and field of the dump. */
  public static void load(RedisNode node) {
    JsonNode dump;
    try {
      dump = new ObjectMapper().readTree(RealFeast.bytes("golden/redis_dump.json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    HexFormat hex = HexFormat.of();
    node.flushAll();
    node.withBinary(
        c -> {
          for (JsonNode key : dump.get("keys")) {
            byte[] k = hex.parseHex(key.get("key_hex").asText());
            for (JsonNode f : key.get("fields")) {
              c.hset(
                  k,
                  hex.parseHex(f.get("field_hex").asText()),
                  hex.parseHex(f.get("value_hex").asText()));
            }
          }
          return null;
        });
  }
}
