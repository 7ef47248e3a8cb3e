package io.inferis.server.feast;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStoreOptions;
import io.inferis.features.FeatureStores;
import io.inferis.registry.FeastRepoConfig;
import io.inferis.registry.RealFeast;
import io.inferis.registry.RefreshingRegistry;
import io.inferis.registry.RegistrySource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /get-online-features} bodies read in one pass answer exactly as the same bodies read as a
 * tree: the same bytes, or the same client error. The real Feast requests, mutated from a fixed
 * seed as {@link FeastHttpFuzzTest} mutates them, and as text a tree cannot show: repeated fields,
 * fields in another order, unknown fields holding anything, trailing text.
 */
class LookupBodyTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  /** The outcome of one request: the answer's text or the error's kind and message. */
  private record Outcome(String text) {}

  @Test
  void onePassReader_answersAsTheTreeReader() throws Exception {
    Path repo = RealFeast.copyRepo(tmp);
    FeastRepoConfig config = FeastRepoConfig.load(repo, repo.resolve(FeastRepoConfig.DEFAULT_FILE));
    try (RefreshingRegistry registry =
            RefreshingRegistry.start(
                RegistrySource.of(config), Duration.ZERO, InstantSource.system(), null, null);
        FeatureStore store =
            FeatureStores.memory(() -> registry.get().repo(), FeatureStoreOptions.defaults())) {
      FeastHttpApi api =
          new FeastHttpApi(new FeastOnline(store, registry, 100, 50), Statuses.PYTHON);
      List<FeastHttpFuzzTest.Seed> seeds = FeastHttpFuzzTest.seeds();
      for (FeastHttpFuzzTest.Seed s : seeds) {
        if (s.path().equals("/push")) {
          try {
            api.push(s.body()).join();
          } catch (RuntimeException e) {
            // some recorded pushes are Feast's error cases
          }
        }
      }
      List<JsonNode> lookups = new ArrayList<>();
      for (FeastHttpFuzzTest.Seed s : seeds) {
        if (s.path().equals("/get-online-features")) {
          lookups.add(s.body());
        }
      }
      assertThat(lookups).hasSizeGreaterThan(5);
      Random random = new Random(20261203);
      int fast = 0;
      for (int i = 0; i < 3_000; i++) {
        JsonNode body = lookups.get(random.nextInt(lookups.size())).deepCopy();
        for (int m = random.nextInt(3); m > 0; m--) {
          body = FeastHttpFuzzTest.mutate(body, random);
        }
        String text = asText(body, random);
        Outcome onePass = answer(api, text, true);
        Outcome tree = answer(api, text, false);
        assertThat(onePass).as(text).isEqualTo(tree);
        if (onePass.text().startsWith("{\"results\"")) {
          fast++;
        }
      }
      assertThat(fast).as("answered lookups").isGreaterThan(500);
    }
  }

  /** {@code body} as text, sometimes with a field repeated, reordered, added, or text after it. */
  private static String asText(JsonNode body, Random random) throws IOException {
    String text = JSON.writeValueAsString(body);
    if (!(body instanceof ObjectNode o) || o.isEmpty()) {
      return text;
    }
    List<String> fields = new ArrayList<>();
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      fields.add(JSON.writeValueAsString(name) + ":" + JSON.writeValueAsString(o.get(name)));
    }
    switch (random.nextInt(6)) {
      case 0 -> fields.add(fields.get(random.nextInt(fields.size()))); // repeated, last wins
      case 1 -> java.util.Collections.reverse(fields);
      case 2 -> fields.add(random.nextInt(fields.size() + 1), "\"x\":{\"y\":[1,{\"z\":null}]}");
      case 3 -> {
        return text + (random.nextBoolean() ? " ]" : " {\"tail\":1}");
      }
      case 4 -> fields.add("\"full_feature_names\":" + (random.nextBoolean() ? "1" : "\"true\""));
      default -> {
        return text;
      }
    }
    return "{" + String.join(",", fields) + "}";
  }

  private static Outcome answer(FeastHttpApi api, String text, boolean onePass) {
    byte[] raw = text.getBytes(StandardCharsets.UTF_8);
    JsonBody body =
        new JsonBody() {
          @Override
          public JsonNode tree() {
            try {
              return JSON.readTree(raw);
            } catch (IOException e) {
              throw ClientError.malformed("malformed JSON");
            }
          }

          @Override
          public JsonParser parser() throws IOException {
            if (!onePass) {
              throw new IOException("read as a tree");
            }
            return JSON.createParser(raw);
          }
        };
    try {
      return new Outcome(
          new String(api.getOnlineFeatures(body, Runnable::run).join(), StandardCharsets.UTF_8));
    } catch (ClientError e) {
      return new Outcome(e.kind() + " " + e.getMessage());
    } catch (CompletionException e) {
      return new Outcome(e.getCause().getClass().getName() + " " + e.getCause().getMessage());
    }
  }
}
