package io.postroom.dispatcher.mail;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.api.Job;
import org.junit.jupiter.api.Test;

class MessageIdsTest {
  private static final long TIMESTAMP = 1_764_000_000_000L;

  private static String messageId(Job job) {
    return MessageIds.forJob(job, TIMESTAMP);
  }

  @Test
  void theMessageIdIsTwoBase36PartsAtTheSendersDomain() {
    String id = messageId(ValidJobs.job(ValidJobs.minimal()));

    assertThat(id).matches("<[0-9a-z]+\\.[0-9a-z]+@example\\.gov\\.in>");
  }

  @Test
  void theFirstPartIsTheRecordTimestampInBase36() {
    String id = messageId(ValidJobs.job(ValidJobs.minimal()));

    assertThat(id).startsWith("<" + Long.toString(TIMESTAMP, 36) + ".");
  }

  @Test
  void theSameJobAndTimestampAlwaysGiveTheSameMessageId() {
    Job job = ValidJobs.job(ValidJobs.minimal());

    assertThat(messageId(job)).isEqualTo(messageId(job));
  }

  @Test
  void theSameRecordReadAgainGivesTheSameMessageId() {
    Job first = ValidJobs.job(ValidJobs.minimal());
    Job readAgain = ValidJobs.job(ValidJobs.minimal());

    assertThat(messageId(readAgain)).isEqualTo(messageId(first));
  }

  @Test
  void anotherIdGivesAnotherMessageId() {
    Job job = ValidJobs.job(ValidJobs.minimal());
    Job other = ValidJobs.job(ValidJobs.minimal().put("id", "order-2"));

    assertThat(messageId(other)).isNotEqualTo(messageId(job));
  }

  @Test
  void anotherTenantWithTheSameIdGivesAnotherMessageId() {
    Job job = ValidJobs.job(ValidJobs.minimal());
    Job other = ValidJobs.job(ValidJobs.minimal().put("tenant", "shipping"));

    assertThat(messageId(other)).isNotEqualTo(messageId(job));
  }

  @Test
  void tenantAndIdAreNotSimplyConcatenated() {
    Job ab = ValidJobs.job(ValidJobs.minimal().put("tenant", "ab").put("id", "c"));
    Job a = ValidJobs.job(ValidJobs.minimal().put("tenant", "a").put("id", "bc"));

    assertThat(messageId(ab)).isNotEqualTo(messageId(a));
  }

  @Test
  void anotherTimestampGivesAnotherMessageId() {
    Job job = ValidJobs.job(ValidJobs.minimal());

    assertThat(MessageIds.forJob(job, TIMESTAMP + 1)).isNotEqualTo(MessageIds.forJob(job, TIMESTAMP));
  }

  @Test
  void theContentOfTheJobDoesNotChangeTheMessageId() {
    Job job = ValidJobs.job(ValidJobs.minimal());
    Job edited = ValidJobs.job(ValidJobs.minimal().put("subject", "Another subject").put("text", "other"));

    assertThat(messageId(edited)).isEqualTo(messageId(job));
  }

  @Test
  void theDomainIsInLowerCase() {
    Job job = ValidJobs.job(ValidJobs.minimal().put("from", "Billing <NoReply@Example.GOV.In>"));

    assertThat(messageId(job)).endsWith("@example.gov.in>");
  }

  @Test
  void aRecordWithoutATimestampGetsZeroForTheFirstPart() {
    // Kafka reports -1 for a record without a timestamp
    String id = MessageIds.forJob(ValidJobs.job(ValidJobs.minimal()), -1);

    assertThat(id).startsWith("<0.");
  }
}
