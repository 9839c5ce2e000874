package io.postroom.contract.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.State;
import io.postroom.contract.kafka.StatusTopicReader.Start;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The status topic reader against Kafka's MockConsumer: where reads start, when a catch-up ends,
 * what a record carries.
 */
class StatusTopicReaderTest {
  private static final String TOPIC = "mail.status";
  private static final Duration LIMIT = Duration.ofSeconds(10);

  private final MockConsumer<String, byte[]> consumer = new MockConsumer<>(OffsetResetStrategy.NONE);
  private final StatusTopicReader reader = new StatusTopicReader(consumer, TOPIC, "status-reader-test");
  private final List<StatusRecord> read = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    reader.close().get(10, TimeUnit.SECONDS);
  }

  /** A topic of {@code ends.length} partitions holding offsets {@code beginning .. ends[p]-1}. */
  private void topic(long beginning, long... ends) {
    List<PartitionInfo> infos = new ArrayList<>();
    for (int p = 0; p < ends.length; p++) {
      infos.add(new PartitionInfo(TOPIC, p, null, null, null));
      consumer.updateBeginningOffsets(Map.of(partition(p), beginning));
      consumer.updateEndOffsets(Map.of(partition(p), ends[p]));
    }
    consumer.updatePartitions(TOPIC, infos);
  }

  /** Records of offsets {@code from .. to-1}, added on the next poll (the mock takes assigned partitions' only). */
  private void records(int partition, long from, long to) {
    consumer.schedulePollTask(() -> {
      for (long offset = from; offset < to; offset++) {
        consumer.addRecord(record(partition, offset, "job-" + offset, "SENT", TOPIC + "/" + partition + "/" + offset));
      }
    });
  }

  private static ConsumerRecord<String, byte[]> record(int partition, long offset, String key, String state,
      String source) {
    RecordHeaders headers = new RecordHeaders();
    if (state != null) {
      headers.add(HeaderNames.STATE, state.getBytes(UTF_8));
    }
    if (source != null) {
      headers.add(HeaderNames.SOURCE, source.getBytes(UTF_8));
    }
    return new ConsumerRecord<>(TOPIC, partition, offset, 0L, TimestampType.CREATE_TIME, 0, 0, key,
        "{}".getBytes(UTF_8), headers, Optional.empty());
  }

  private static TopicPartition partition(int p) {
    return new TopicPartition(TOPIC, p);
  }

  private List<Long> offsetsRead(int partition) {
    return read.stream().filter(r -> r.partition() == partition).map(StatusRecord::offset).toList();
  }

  @Test
  void aCatchUpReadsEveryPartitionToItsEndOffsetAndSaysSo() throws Exception {
    topic(0, 3, 2);
    records(0, 0, 3);
    records(1, 0, 2);

    assertThat(reader.catchUp(Start.beginning(), LIMIT, read::addAll).get(10, TimeUnit.SECONDS)).isTrue();

    assertThat(offsetsRead(0)).containsExactly(0L, 1L, 2L);
    assertThat(offsetsRead(1)).containsExactly(0L, 1L);
  }

  @Test
  void aCatchUpThatCannotReachTheEndGivesUpAtTheLimit() throws Exception {
    topic(0, 5);
    records(0, 0, 3);

    assertThat(reader.catchUp(Start.beginning(), Duration.ofMillis(200), read::addAll).get(10, TimeUnit.SECONDS))
        .isFalse();

    assertThat(offsetsRead(0)).containsExactly(0L, 1L, 2L);
  }

  @Test
  void theNextCatchUpStartsWhereTheLastStopped() throws Exception {
    topic(0, 3);
    records(0, 0, 3);
    reader.catchUp(Start.recent(1_000), LIMIT, records -> { }).get(10, TimeUnit.SECONDS);
    consumer.updateEndOffsets(Map.of(partition(0), 5L));
    records(0, 0, 5);

    assertThat(reader.catchUp(Start.recent(1_000), LIMIT, read::addAll).get(10, TimeUnit.SECONDS)).isTrue();

    assertThat(offsetsRead(0)).containsExactly(3L, 4L);
  }

  @Test
  void aRecentReadGoesBackAtMostItsRecordsSharedByThePartitions() throws Exception {
    topic(0, 10, 10);
    records(0, 0, 10);
    records(1, 0, 10);

    reader.catchUp(Start.recent(4), LIMIT, read::addAll).get(10, TimeUnit.SECONDS);

    assertThat(offsetsRead(0)).containsExactly(8L, 9L);
    assertThat(offsetsRead(1)).containsExactly(8L, 9L);
  }

  @Test
  void aTopicWithoutPartitionsIsCaughtUpAtOnce() throws Exception {
    assertThat(reader.catchUp(Start.beginning(), LIMIT, read::addAll).get(10, TimeUnit.SECONDS)).isTrue();

    assertThat(read).isEmpty();
  }

  @Test
  void followingReadsEachPartitionFromWhereItsStartSays() throws Exception {
    topic(0, 8, 3);
    records(0, 0, 8);
    records(1, 0, 3);

    reader.follow(offsets -> offsets.partition() == 0 ? 5 : offsets.beginningOffset(), read::addAll);

    awaitRead(6);
    assertThat(offsetsRead(0)).containsExactly(5L, 6L, 7L);
    assertThat(offsetsRead(1)).containsExactly(0L, 1L, 2L);
  }

  @Test
  void aStartBeforeTheFirstRecordStillInThePartitionReadsFromThatRecord() throws Exception {
    topic(10, 13);
    records(0, 10, 13);

    reader.follow(offsets -> 0, read::addAll);

    awaitRead(3);
    assertThat(offsetsRead(0)).containsExactly(10L, 11L, 12L);
  }

  @Test
  void closingEndsAFollow() throws Exception {
    topic(0, 0);
    var following = reader.follow(Start.beginning(), read::addAll);

    reader.close().get(10, TimeUnit.SECONDS);

    following.get(10, TimeUnit.SECONDS);
    assertThat(consumer.closed()).isTrue();
  }

  @Test
  void aFollowStopsWithTheErrorOfItsListener() {
    topic(0, 1);
    records(0, 0, 1);

    var following = reader.follow(Start.beginning(), records -> {
      throw new IllegalStateException("disk full");
    });

    assertThat(following).failsWithin(10, TimeUnit.SECONDS).withThrowableThat()
        .withRootCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void aRecordCarriesItsKeyStateAndSource() throws Exception {
    topic(0, 1);
    consumer.schedulePollTask(() -> consumer.addRecord(record(0, 0, "order-4711", "SENT", "mail.jobs/2/17")));

    reader.catchUp(Start.beginning(), LIMIT, read::addAll).get(10, TimeUnit.SECONDS);

    assertThat(read).singleElement().satisfies(r -> {
      assertThat(r.jobId()).isEqualTo("order-4711");
      assertThat(r.state()).isEqualTo(State.SENT);
      assertThat(r.source()).isEqualTo("mail.jobs/2/17");
      assertThat(r.value()).isEqualTo("{}".getBytes(UTF_8));
    });
  }

  @Test
  void aStateThisVersionDoesNotKnowIsNoState() throws Exception {
    topic(0, 2);
    consumer.schedulePollTask(() -> {
      consumer.addRecord(record(0, 0, "a", "DELIVERED_BY_PIGEON", null));
      consumer.addRecord(record(0, 1, "b", null, null));
    });

    reader.catchUp(Start.beginning(), LIMIT, read::addAll).get(10, TimeUnit.SECONDS);

    assertThat(read).extracting(StatusRecord::state).containsExactly(null, null);
    assertThat(read).extracting(StatusRecord::source).containsExactly(null, null);
  }

  @Test
  void theConsumerJoinsNoGroupAndCommitsNothing() {
    Map<String, Object> props = StatusTopicReader.consumerProperties(Map.of("group.id", "postroom-dispatcher",
        "bootstrap.servers", "kafka:9092", "enable.auto.commit", "true"));

    assertThat(props).doesNotContainKey("group.id")
        .containsEntry("enable.auto.commit", "false")
        .containsEntry("bootstrap.servers", "kafka:9092");
  }

  private void awaitRead(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (read.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(read).hasSize(count);
  }
}
