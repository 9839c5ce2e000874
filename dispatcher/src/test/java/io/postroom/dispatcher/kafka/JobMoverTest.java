package io.postroom.dispatcher.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.Job;
import io.postroom.contract.Jobs;
import io.postroom.contract.kafka.HeaderNames;
import io.postroom.dispatcher.InMemoryKafka;
import io.postroom.dispatcher.lanes.LaneTopics;
import io.postroom.dispatcher.retry.RetryTiers;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a job waits out of memory, and what its copy carries. Copies are written to memory here. */
class JobMoverTest {
  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  private static final RetryTiers TIERS = new RetryTiers("mail.jobs.retry",
      List.of(Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofHours(1)));
  private static final Job JOB = Jobs.job(Jobs.full().put("priority", "bulk"));

  private final InMemoryKafka kafka = new InMemoryKafka();
  private final JobMover mover = new JobMover(kafka, TIERS, new LaneTopics("mail.jobs.lanes"),
      Clock.fixed(NOW, ZoneOffset.UTC));

  private static SourceRecord read(String topic, int partition, long offset) {
    return new SourceRecord(topic, partition, offset, "key", Buffer.buffer(Jobs.full().encode()),
        Journey.start(new RecordPosition(topic, partition, offset), NOW.toEpochMilli()));
  }

  @Test
  void aDelayedJobGoesToTheLongestTierNotLongerThanItsWait() {
    mover.delay(read("mail.jobs", 4, 17), JOB, NOW.plus(Duration.ofMinutes(59)), 1, null);

    assertThat(kafka.copies).singleElement().satisfies(copy -> assertThat(copy.topic()).isEqualTo("mail.jobs.retry.1m"));
  }

  @Test
  void aJobDueSoonerThanTheShortestTierGoesToTheShortestTier() {
    mover.delay(read("mail.jobs", 4, 17), JOB, NOW.plusSeconds(1), 1, null);

    assertThat(kafka.copies).singleElement()
        .satisfies(copy -> assertThat(copy.topic()).isEqualTo("mail.jobs.retry.10s"));
  }

  @Test
  void aCopyGoesToThePartitionWithTheNumberItsRecordWasReadFrom() {
    mover.park(read("mail.jobs", 4, 17), JOB);

    assertThat(kafka.copies).singleElement().satisfies(copy -> assertThat(copy.partition()).isEqualTo(4));
  }

  @Test
  void aDelayedCopyCarriesTheOriginalBytesKeyedByIdWithItsJourney() {
    mover.delay(read("mail.jobs", 4, 17), JOB, NOW.plusSeconds(30), 2, "{\"next\":1}");

    assertThat(kafka.copies).singleElement().satisfies(copy -> {
      assertThat(copy.key()).isEqualTo(JOB.id());
      assertThat(copy.value().toString()).isEqualTo(Jobs.full().encode());
      assertThat(copy.header(HeaderNames.ORIGIN)).isEqualTo("mail.jobs/4/17");
      assertThat(copy.header(HeaderNames.DUE)).isEqualTo(NOW.plusSeconds(30).toString());
      assertThat(copy.header(HeaderNames.ATTEMPTS)).isEqualTo("2");
      assertThat(copy.header(HeaderNames.PROGRESS)).isEqualTo("{\"next\":1}");
      assertThat(copy.header(HeaderNames.TENANT)).isEqualTo(JOB.tenant());
    });
  }

  @Test
  void aParkedJobGoesToItsPrioritysLaneTopicKeyedByTenant() {
    mover.park(read("mail.jobs", 4, 17), JOB);

    assertThat(kafka.copies).singleElement().satisfies(copy -> {
      assertThat(copy.topic()).isEqualTo("mail.jobs.lanes.bulk");
      assertThat(copy.key()).isEqualTo(JOB.tenant());
      assertThat(copy.header(HeaderNames.DUE)).isNull();
    });
  }

  @Test
  void aCopyOfACopyKeepsTheFirstRecordsPosition() {
    SourceRecord copy = new SourceRecord("mail.jobs.retry.10s", 4, 3, JOB.id(), Buffer.buffer(Jobs.full().encode()),
        new Journey(new RecordPosition("mail.jobs", 4, 17), NOW.toEpochMilli(), 1, null, null, null));

    mover.park(copy, JOB);

    assertThat(kafka.copies.get(0).header(HeaderNames.ORIGIN)).isEqualTo("mail.jobs/4/17");
  }

  @Test
  void onlyTheLaneTopicsAreLaneTopics() {
    assertThat(mover.isLaneTopic("mail.jobs.lanes.high")).isTrue();
    assertThat(mover.isLaneTopic("mail.jobs")).isFalse();
    assertThat(mover.isLaneTopic("mail.jobs.retry.10s")).isFalse();
  }
}
