package io.postroom.dispatcher.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.dispatcher.relay.SendFailure.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SendFailureTest {

  private static SendFailure reply(int code, String reply) {
    return new SendFailure(code >= 500 ? Kind.PERMANENT : Kind.TRANSIENT, code, null, reply, "refused");
  }

  @ParameterizedTest
  @ValueSource(ints = {421, 450, 451, 452})
  void theRelaysSlowDownCodesAskToSlowDown(int code) {
    assertThat(reply(code, code + " try again later").asksToSlowDown()).isTrue();
  }

  @Test
  void aReplySayingTooManyAsksToSlowDownWhateverItsCode() {
    assertThat(reply(554, "554 5.7.1 Too many messages from this client").asksToSlowDown()).isTrue();
  }

  @Test
  void aRefusedRecipientDoesNotAskToSlowDown() {
    assertThat(reply(550, "550 5.1.1 User unknown").asksToSlowDown()).isFalse();
  }

  @Test
  void aFailureWithoutAReplyDoesNotAskToSlowDown() {
    assertThat(new SendFailure(Kind.RELAY, null, null, null, "cannot connect").asksToSlowDown()).isFalse();
  }
}
