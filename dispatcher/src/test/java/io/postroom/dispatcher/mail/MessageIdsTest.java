package io.postroom.dispatcher.mail;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.Job;
import io.postroom.contract.Jobs;
import org.junit.jupiter.api.Test;

class MessageIdsTest {
  private static final long TIMESTAMP = 1_764_000_000_000L;

  private static String messageId(Job job) {
    return MessageIds.forJob(job, TIMESTAMP);
  }

  @Test
  void theMessageIdIsTwoBase36PartsAtTheSendersDomain() {
    String id = messageId(Jobs.job(Jobs.minimal()));

    assertThat(id).matches("<[0-9a-z]+\\.[0-9a-z]+@example\\.gov\\.in>");
  }

  @Test
  void theFirstPartIsTheRecordTimestampInBase36() {
    String id = messageId(Jobs.job(Jobs.minimal()));

    assertThat(id).startsWith("<" + Long.toString(TIMESTAMP, 36) + ".");
  }

  @Test
  void theSameJobAndTimestampAlwaysGiveTheSameMessageId() {
    Job job = Jobs.job(Jobs.minimal());

    assertThat(messageId(job)).isEqualTo(messageId(job));
  }

  @Test
  void theSameRecordReadAgainGivesTheSameMessageId() {
    Job first = Jobs.job(Jobs.minimal());
    Job readAgain = Jobs.job(Jobs.minimal());

    assertThat(messageId(readAgain)).isEqualTo(messageId(first));
  }

  @Test
  void anotherIdGivesAnotherMessageId() {
    Job job = Jobs.job(Jobs.minimal());
    Job other = Jobs.job(Jobs.minimal().put("id", "order-2"));

    assertThat(messageId(other)).isNotEqualTo(messageId(job));
  }

  @Test
  void anotherTenantWithTheSameIdGivesAnotherMessageId() {
    Job job = Jobs.job(Jobs.minimal());
    Job other = Jobs.job(Jobs.minimal().put("tenant", "shipping"));

    assertThat(messageId(other)).isNotEqualTo(messageId(job));
  }

  @Test
  void tenantAndIdAreNotSimplyConcatenated() {
    Job ab = Jobs.job(Jobs.minimal().put("tenant", "ab").put("id", "c"));
    Job a = Jobs.job(Jobs.minimal().put("tenant", "a").put("id", "bc"));

    assertThat(messageId(ab)).isNotEqualTo(messageId(a));
  }

  @Test
  void anotherTimestampGivesAnotherMessageId() {
    Job job = Jobs.job(Jobs.minimal());

    assertThat(MessageIds.forJob(job, TIMESTAMP + 1)).isNotEqualTo(MessageIds.forJob(job, TIMESTAMP));
  }

  @Test
  void theContentOfTheJobDoesNotChangeTheMessageId() {
    Job job = Jobs.job(Jobs.minimal());
    Job edited = Jobs.job(Jobs.minimal().put("subject", "Another subject").put("text", "other"));

    assertThat(messageId(edited)).isEqualTo(messageId(job));
  }

  @Test
  void theDomainIsInLowerCase() {
    Job job = Jobs.job(Jobs.minimal().put("from", "Billing <NoReply@Example.GOV.In>"));

    assertThat(messageId(job)).endsWith("@example.gov.in>");
  }

  @Test
  void aRecordWithoutATimestampGetsZeroForTheFirstPart() {
    // Kafka reports -1 for a record without a timestamp
    String id = MessageIds.forJob(Jobs.job(Jobs.minimal()), -1);

    assertThat(id).startsWith("<0.");
  }
}
