package io.postroom.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.postroom.contract.ErrorCode;
import io.postroom.contract.Jobs;
import io.postroom.contract.State;
import io.postroom.dispatcher.config.TenantConfig;
import io.postroom.dispatcher.config.TenantDkim;
import io.postroom.dispatcher.dkim.Signing;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A tenant that refuses unsigned mail, and a job from a domain it has no key for. */
@ExtendWith(VertxExtension.class)
class DkimRefusalTest {
  @TempDir
  Path keys;

  private Signing signing(TenantDkim.WhenMissing whenMissing) {
    return Signing.load(Map.of("billing", new TenantConfig("billing", null, 1, new TenantDkim(keys, whenMissing), null)),
        Duration.ofSeconds(30), new SimpleMeterRegistry());
  }

  @Test
  void isRejectedWithDkimNotConfiguredAndDeadLetteredWithoutReachingTheRelay(Vertx vertx, VertxTestContext test) {
    Signing signing = signing(TenantDkim.WhenMissing.REJECT);
    vertx.runOnContext(v -> {
      Pipeline pipeline = new Pipeline(vertx, 10, signing);
      pipeline.relayAnswers.add(Pipeline::accept);
      pipeline.process(Pipeline.record(Jobs.minimal(), 7)).onComplete(test.succeeding(processed -> test.verify(() -> {
        assertThat(pipeline.kafka.statuses).singleElement().satisfies(event -> {
          assertThat(event.state()).isEqualTo(State.REJECTED);
          assertThat(event.errorCode()).isEqualTo(ErrorCode.DKIM_NOT_CONFIGURED);
          assertThat(event.error()).contains("tenant billing").contains("example.gov.in");
        });
        assertThat(pipeline.kafka.deadLetters).singleElement()
            .satisfies(letter -> assertThat(letter.code()).isEqualTo(ErrorCode.DKIM_NOT_CONFIGURED));
        assertThat(pipeline.relayed).isEmpty();
        test.completeNow();
      })));
    });
  }

  @Test
  void isSentWhenTheTenantSendsUnsignedMail(Vertx vertx, VertxTestContext test) {
    Signing signing = signing(TenantDkim.WhenMissing.SEND);
    vertx.runOnContext(v -> {
      Pipeline pipeline = new Pipeline(vertx, 10, signing);
      pipeline.relayAnswers.add(Pipeline::accept);
      pipeline.process(Pipeline.record(Jobs.minimal(), 7)).onComplete(test.succeeding(processed -> test.verify(() -> {
        assertThat(pipeline.kafka.statuses).extracting(event -> event.state()).containsExactly(State.SENT);
        assertThat(pipeline.relayed).hasSize(1);
        test.completeNow();
      })));
    });
  }
}
