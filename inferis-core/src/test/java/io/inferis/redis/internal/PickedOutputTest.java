package io.inferis.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The HGETALL output that keeps only the wanted fields, fed as Lettuce's decoder feeds it. */
class PickedOutputTest {

  private static final List<byte[]> WANTED = List.of(bytes("b"), bytes("a"), bytes("b"));

  @Test
  void keepsTheWantedFieldsInOrder_nullWhereAbsent_twiceWhereAskedTwice() {
    RedisHashStore.PickedOutput out = output();

    out.multi(6);
    answer(out, "a", "1", "x", "9", "b", "2");

    assertThat(out.get()).containsExactly(bytes("2"), bytes("1"), bytes("2"));
  }

  @Test
  void anAnswerReadAgain_startsOver() {
    RedisHashStore.PickedOutput out = output();

    // Cut off after a name, as a connection lost mid-answer leaves it; then read again in full.
    out.multi(4);
    answer(out, "x");
    out.multi(4);
    answer(out, "a", "1", "x", "9");

    assertThat(out.get()).containsExactly(null, bytes("1"), null);
  }

  private static RedisHashStore.PickedOutput output() {
    return new RedisHashStore.PickedOutput(new RedisHashStore.EncodedFields(WANTED));
  }

  private static void answer(RedisHashStore.PickedOutput out, String... items) {
    for (String item : items) {
      out.set(ByteBuffer.wrap(bytes(item)));
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
