package io.postroom.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.api.Job;
import io.postroom.api.Jobs;
import io.postroom.dispatcher.relay.SendFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.MailResult;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TransactionsTest {
  private static final SendFailure REFUSED =
      new SendFailure(SendFailure.Kind.PERMANENT, 550, "5.1.1", "550 5.1.1 User unknown", "refused");
  private static final Job JOB = Jobs.job(Jobs.minimal()
      .put("to", new JsonArray().add("a@example.org").add("b@example.org").add("c@example.org")));

  private static MailResult acceptedFor(String... recipients) {
    return new MailResult().setRecipients(List.of(recipients));
  }

  private static Transactions of(int count) {
    return new Transactions(JOB, IntStream.range(0, count).mapToObj(i -> new MailMessage()).toList());
  }

  @Test
  void aSingleAcceptedTransactionEndsTheJob() {
    Transactions transactions = of(1);

    assertThat(transactions.accepted(acceptedFor("a@example.org", "b@example.org", "c@example.org"))).isFalse();
    assertThat(transactions.anyAccepted()).isTrue();
    assertThat(transactions.refusedRecipients()).isEmpty();
  }

  @Test
  void aSingleRefusedTransactionEndsTheJobWithNothingAccepted() {
    Transactions transactions = of(1);

    assertThat(transactions.refused(REFUSED)).isFalse();
    assertThat(transactions.anyAccepted()).isFalse();
    assertThat(transactions.lastRefusal()).isEqualTo(REFUSED);
  }

  @Test
  void aRefusedTransactionOfSeveralLetsTheNextOneGo() {
    MailMessage first = new MailMessage().setSubject("first");
    MailMessage second = new MailMessage().setSubject("second");
    Transactions transactions = new Transactions(JOB, List.of(first, second));

    assertThat(transactions.refused(REFUSED)).isTrue();
    assertThat(transactions.current()).isSameAs(second);
  }

  @Test
  void recipientsNoTransactionAcceptedAreReportedAsRefused() {
    Transactions transactions = of(2);
    transactions.accepted(acceptedFor("A@example.org"));
    transactions.refused(REFUSED);

    assertThat(transactions.anyAccepted()).isTrue();
    assertThat(transactions.refusedRecipients()).containsExactly("b@example.org", "c@example.org");
  }
}
