package io.postroom.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.Jobs;
import io.postroom.contract.State;
import io.postroom.contract.StatusEvent;
import io.postroom.contract.compliance.BounceToken;
import io.postroom.contract.compliance.Suppression;
import io.postroom.contract.compliance.SuppressionReason;
import io.postroom.contract.compliance.TokenKeys;
import io.postroom.contract.compliance.UnsubscribeToken;
import io.postroom.contract.config.ComplianceSection;
import io.postroom.dispatcher.compliance.MailMarks;
import io.postroom.dispatcher.config.TenantConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.MailResult;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a job's mail carries and whom it reaches because of the tenant's compliance settings: the
 * suppression list (checked before every attempt), the one-click unsubscribe headers, and the VERP
 * envelope sender. On in-memory Kafka writes and a relay that takes every envelope recipient.
 */
@ExtendWith(VertxExtension.class)
class CompliantSendingTest {
  private static final TokenKeys KEYS = TokenKeys.parse("k1 " + Base64.getEncoder().encodeToString(new byte[32]));
  private static final ComplianceSection COMPLIANCE =
      new ComplianceSection(KEYS, "https://mail.example.gov.in", "unsubscribe@example.gov.in");
  private static final String BOUNCES = "bounces.example.gov.in";

  private static void on(Vertx vertx, ComplianceSection compliance, Consumer<Pipeline> test) {
    vertx.runOnContext(v -> {
      Pipeline pipeline = new Pipeline(vertx, 10, compliance,
          name -> new TenantConfig(name, null, 1, "billing".equals(name) ? BOUNCES : null));
      pipeline.relayAnswers.add(CompliantSendingTest::acceptEveryone);
      test.accept(pipeline);
    });
  }

  /** The relay takes the message for every envelope recipient (To, Cc and Bcc lists). */
  private static Future<MailResult> acceptEveryone(MailMessage message) {
    return Future.succeededFuture(new MailResult().setRecipients(envelope(message)));
  }

  private static List<String> envelope(MailMessage message) {
    List<String> all = new ArrayList<>();
    for (List<String> list : List.of(nonNull(message.getTo()), nonNull(message.getCc()), nonNull(message.getBcc()))) {
      all.addAll(list);
    }
    return all;
  }

  private static List<String> nonNull(List<String> list) {
    return list == null ? List.of() : list;
  }

  private static void suppress(Pipeline pipeline, String stream, String address) {
    pipeline.suppressed.put(Suppression.key("billing", stream, address), SuppressionReason.UNSUBSCRIBED);
  }

  private static StatusEvent onlyEvent(Pipeline pipeline) {
    assertThat(pipeline.kafka.statuses).hasSize(1);
    return pipeline.kafka.statuses.get(0);
  }

  @Test
  void aJobWhoseOnlyRecipientIsSuppressedEndsSuppressedWithoutReachingTheRelay(Vertx vertx, VertxTestContext test) {
    on(vertx, COMPLIANCE, pipeline -> {
      suppress(pipeline, null, "A@Example.org");
      pipeline.process(Pipeline.record(Jobs.minimal(), 7)).onComplete(test.succeeding(p -> test.verify(() -> {
        assertThat(pipeline.relayed).isEmpty();
        StatusEvent event = onlyEvent(pipeline);
        assertThat(event.state()).isEqualTo(State.SUPPRESSED);
        assertThat(event.suppressedRecipients()).containsExactly("a@example.org");
        assertThat(pipeline.kafka.deadLetters).isEmpty();
        test.completeNow();
      })));
    });
  }

  @Test
  void aJobOfSeveralRecipientsGoesToTheOthersAndNamesTheSuppressedOne(Vertx vertx, VertxTestContext test) {
    JsonObject job = Jobs.minimal().put("to", new JsonArray().add("a@example.org").add("b@example.org"))
        .put("cc", new JsonArray().add("Carol <c@example.org>"));
    on(vertx, COMPLIANCE, pipeline -> {
      suppress(pipeline, null, "b@example.org");
      pipeline.process(Pipeline.record(job, 7)).onComplete(test.succeeding(p -> test.verify(() -> {
        assertThat(pipeline.relayed).singleElement().satisfies(message -> {
          assertThat(envelope(message)).containsExactly("a@example.org", "Carol <c@example.org>");
          // the headers still say to whom the mail was written
          assertThat(message.getHeaders().get("To")).contains("b@example.org");
        });
        StatusEvent event = onlyEvent(pipeline);
        assertThat(event.state()).isEqualTo(State.SENT);
        assertThat(event.suppressedRecipients()).containsExactly("b@example.org");
        test.completeNow();
      })));
    });
  }

  @Test
  void aSuppressionOfOneStreamStopsThatStreamOnly(Vertx vertx, VertxTestContext test) {
    on(vertx, COMPLIANCE, pipeline -> {
      suppress(pipeline, "statements", "a@example.org");
      pipeline.process(Pipeline.record(Jobs.minimal().put("stream", "statements"), 7))
          .compose(p -> pipeline.process(Pipeline.record(Jobs.minimal().put("id", "other").put("stream", "alerts"), 8)))
          .compose(p -> pipeline.process(Pipeline.record(Jobs.minimal().put("id", "no-stream"), 9)))
          .onComplete(test.succeeding(p -> test.verify(() -> {
            assertThat(pipeline.kafka.statuses).extracting(StatusEvent::id, StatusEvent::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple("order-4711-confirmation", State.SUPPRESSED),
                org.assertj.core.groups.Tuple.tuple("other", State.SENT),
                org.assertj.core.groups.Tuple.tuple("no-stream", State.SENT));
            assertThat(pipeline.relayed).hasSize(2);
            test.completeNow();
          })));
    });
  }

  @Test
  void bulkMailCarriesOneClickUnsubscribeForItsRecipientAndStream(Vertx vertx, VertxTestContext test) {
    JsonObject bulk = Jobs.minimal().put("priority", "bulk").put("stream", "statements");
    on(vertx, COMPLIANCE, pipeline -> pipeline.process(Pipeline.record(bulk, 7))
        .onComplete(test.succeeding(p -> test.verify(() -> {
          MailMessage message = pipeline.relayed.get(0);
          String header = message.getHeaders().get(MailMarks.LIST_UNSUBSCRIBE);
          Matcher link = Pattern.compile("<https://mail\\.example\\.gov\\.in/u/([^>]+)>, "
              + "<mailto:unsubscribe@example\\.gov\\.in\\?subject=unsubscribe%20([^>]+)>").matcher(header);
          assertThat(link.matches()).as(header).isTrue();
          assertThat(link.group(1)).isEqualTo(link.group(2));
          assertThat(UnsubscribeToken.open(KEYS, link.group(1)))
              .contains(new UnsubscribeToken("billing", "statements", "a@example.org"));
          assertThat(message.getHeaders().get(MailMarks.LIST_UNSUBSCRIBE_POST)).isEqualTo("List-Unsubscribe=One-Click");
          test.completeNow();
        }))));
  }

  @Test
  void anOrdinaryJobWithoutStreamCarriesNoUnsubscribeHeaders(Vertx vertx, VertxTestContext test) {
    on(vertx, COMPLIANCE, pipeline -> pipeline.process(Pipeline.record(Jobs.minimal(), 7))
        .onComplete(test.succeeding(p -> test.verify(() -> {
          assertThat(pipeline.relayed.get(0).getHeaders().contains(MailMarks.LIST_UNSUBSCRIBE)).isFalse();
          assertThat(pipeline.relayed.get(0).getHeaders().contains(MailMarks.LIST_UNSUBSCRIBE_POST)).isFalse();
          test.completeNow();
        }))));
  }

  @Test
  void aBulkMailToSeveralPeopleCarriesNoLinkThatCouldOnlyNameOneOfThem(Vertx vertx, VertxTestContext test) {
    JsonObject two = Jobs.minimal().put("priority", "bulk").put("to", new JsonArray().add("a@example.org")
        .add("b@example.org"));
    on(vertx, COMPLIANCE, pipeline -> pipeline.process(Pipeline.record(two, 7))
        .onComplete(test.succeeding(p -> test.verify(() -> {
          assertThat(pipeline.relayed.get(0).getHeaders().contains(MailMarks.LIST_UNSUBSCRIBE)).isFalse();
          test.completeNow();
        }))));
  }

  @Test
  void theEnvelopeSenderIsAVerpAddressNamingTheMessageWhenTheTenantHasABounceDomain(Vertx vertx,
      VertxTestContext test) {
    on(vertx, COMPLIANCE, pipeline -> pipeline.process(Pipeline.record(Jobs.minimal(), 7))
        .compose(p -> pipeline.process(Pipeline.record(Jobs.minimal().put("id", "alert-1").put("tenant", "alerts"), 8)))
        .onComplete(test.succeeding(p -> test.verify(() -> {
          MailMessage billing = pipeline.relayed.get(0);
          assertThat(billing.getBounceAddress()).startsWith("bounces+").endsWith("@" + BOUNCES);
          String messageId = billing.getHeaders().get("Message-ID");
          assertThat(BounceToken.read(KEYS, billing.getBounceAddress())).isEqualTo(BounceToken.messageRef(messageId));
          assertThat(billing.getFrom()).isEqualTo("noreply@example.gov.in");
          // a tenant without a bounce domain keeps its From address as envelope sender
          assertThat(pipeline.relayed.get(1).getBounceAddress()).isEqualTo("noreply@example.gov.in");
          test.completeNow();
        }))));
  }

  @Test
  void withoutTokenKeysMailCarriesNeitherLinkNorVerpSender(Vertx vertx, VertxTestContext test) {
    JsonObject bulk = Jobs.minimal().put("priority", "bulk");
    on(vertx, ComplianceSection.none(), pipeline -> pipeline.process(Pipeline.record(bulk, 7))
        .onComplete(test.succeeding(p -> test.verify(() -> {
          MailMessage message = pipeline.relayed.get(0);
          assertThat(message.getHeaders().contains(MailMarks.LIST_UNSUBSCRIBE)).isFalse();
          assertThat(message.getBounceAddress()).isEqualTo("noreply@example.gov.in");
          test.completeNow();
        }))));
  }
}
