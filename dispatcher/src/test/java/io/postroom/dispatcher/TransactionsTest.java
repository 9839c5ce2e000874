package io.postroom.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.Job;
import io.postroom.contract.Jobs;
import io.postroom.dispatcher.relay.SendFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.MailResult;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TransactionsTest {
  private static final SendFailure REFUSED =
      new SendFailure(SendFailure.Kind.PERMANENT, 550, "5.1.1", "550 5.1.1 User unknown", "refused");
  private static final Job JOB = Jobs.job(Jobs.minimal()
      .put("to", new JsonArray().add("a@example.org").add("b@example.org").add("c@example.org")));

  private static MailResult acceptedFor(String... recipients) {
    return new MailResult().setRecipients(List.of(recipients));
  }

  /** r1@example.org .. r{to}@example.org. */
  private static List<String> recipients(int from, int to) {
    return IntStream.rangeClosed(from, to).mapToObj(i -> "r" + i + "@example.org").toList();
  }

  private static MailResult acceptedFor(List<String> recipients) {
    return new MailResult().setRecipients(recipients);
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

  @Test
  void aFirstAttemptStartsAtTheFirstTransaction() {
    MailMessage first = new MailMessage().setSubject("first");

    assertThat(new Transactions(JOB, List.of(first, new MailMessage()), null).current()).isSameAs(first);
  }

  @Test
  void aRetryResumesAtTheTransactionAfterTheAcceptedOne() {
    List<MailMessage> messages = Stream.of("first", "second", "third")
        .map(subject -> new MailMessage().setSubject(subject)).toList();
    Transactions firstAttempt = new Transactions(JOB, messages);
    firstAttempt.accepted(acceptedFor("a@example.org", "b@example.org", "c@example.org"));

    Transactions retry = new Transactions(JOB, messages, firstAttempt.progress());

    assertThat(retry.current()).isSameAs(messages.get(1));
  }

  @Test
  void aRetryRemembersThatAnEarlierTransactionWasAccepted() {
    Transactions firstAttempt = of(3);
    firstAttempt.accepted(acceptedFor("a@example.org"));

    Transactions retry = new Transactions(JOB, List.of(new MailMessage(), new MailMessage(), new MailMessage()),
        firstAttempt.progress());

    assertThat(retry.anyAccepted()).isTrue();
  }

  @Test
  void aRetryRemembersTheRecipientsRefusedBefore() {
    Transactions firstAttempt = of(3);
    firstAttempt.accepted(acceptedFor("a@example.org"));

    Transactions retry = new Transactions(JOB, List.of(new MailMessage(), new MailMessage(), new MailMessage()),
        firstAttempt.progress());

    assertThat(retry.refusedRecipients()).containsExactly("b@example.org", "c@example.org");
  }

  @Test
  void aRefusedTransactionOfAHundredRecipientsReportsExactlyThoseAsRefused() {
    Job job = Jobs.job(Jobs.minimal().put("to", new JsonArray(recipients(1, 250))));
    Transactions transactions = new Transactions(job, List.of(new MailMessage(), new MailMessage(), new MailMessage()));

    assertThat(transactions.accepted(acceptedFor(recipients(1, 100)))).isTrue();
    assertThat(transactions.refused(REFUSED)).isTrue();
    assertThat(transactions.accepted(acceptedFor(recipients(201, 250)))).isFalse();

    assertThat(transactions.anyAccepted()).isTrue();
    assertThat(transactions.refusedRecipients()).containsExactlyElementsOf(recipients(101, 200));
  }
}
