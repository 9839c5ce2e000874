package io.postroom.dispatcher.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.kafka.HeaderNames;
import io.vertx.kafka.client.producer.KafkaHeader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JourneyTest {
  private static final RecordPosition ORIGIN = new RecordPosition("mail.jobs", 3, 4711);
  private static final long ORIGIN_TIMESTAMP = 1_795_000_000_000L;
  private static final Instant DUE = Instant.parse("2026-11-22T10:00:30Z");
  private static final String PROGRESS = "{\"next\":1,\"anyAccepted\":true,\"refused\":[]}";
  /** Where and when the record now being read was written: a retry tier's, not the jobs topic's. */
  private static final RecordPosition HERE = new RecordPosition("mail.jobs.retry.10s", 0, 17);
  private static final long NOW = 1_795_000_123_456L;

  private static final Journey WAITING = new Journey(ORIGIN, ORIGIN_TIMESTAMP, 2, DUE, PROGRESS, "billing");

  /** The headers, with {@code key}'s value replaced by {@code value}. */
  private static List<KafkaHeader> with(List<KafkaHeader> headers, String key, String value) {
    List<KafkaHeader> changed = new ArrayList<>();
    headers.forEach(header -> changed.add(header.key().equals(key) ? KafkaHeader.header(key, value) : header));
    return changed;
  }

  @Test
  void everyFieldTravelsInTheHeaders() {
    assertThat(Journey.fromHeaders(WAITING.headers(), HERE, NOW)).isEqualTo(WAITING);
  }

  @Test
  void aJourneyWithoutDueProgressOrTenantTravelsAsIs() {
    Journey bare = new Journey(ORIGIN, ORIGIN_TIMESTAMP, 1, null, null, null);

    assertThat(Journey.fromHeaders(bare.headers(), HERE, NOW)).isEqualTo(bare);
  }

  @Test
  void absentFieldsWriteNoHeader() {
    assertThat(Journey.start(ORIGIN, ORIGIN_TIMESTAMP).headers()).extracting(KafkaHeader::key)
        .containsExactly(HeaderNames.ORIGIN, HeaderNames.ORIGIN_TIMESTAMP, HeaderNames.ATTEMPTS);
  }

  @Test
  void aRecordWithoutHeadersIsAFirstJourneyFromWhereItWasRead() {
    assertThat(Journey.fromHeaders(List.of(), HERE, NOW)).isEqualTo(new Journey(HERE, NOW, 0, null, null, null));
  }

  @Test
  void aRecordWithoutAnOriginHeaderIsAFirstJourneyWhateverElseItCarries() {
    List<KafkaHeader> headers = WAITING.headers().stream()
        .filter(header -> !header.key().equals(HeaderNames.ORIGIN)).toList();

    assertThat(Journey.fromHeaders(headers, HERE, NOW)).isEqualTo(Journey.start(HERE, NOW));
  }

  @Test
  void aNonNumericAttemptsHeaderIsIgnoredAndTheRestKept() {
    List<KafkaHeader> headers = with(WAITING.headers(), HeaderNames.ATTEMPTS, "two");

    assertThat(Journey.fromHeaders(headers, HERE, NOW))
        .isEqualTo(new Journey(ORIGIN, ORIGIN_TIMESTAMP, 0, DUE, PROGRESS, "billing"));
  }

  @Test
  void aNegativeAttemptsHeaderCountsAsNone() {
    List<KafkaHeader> headers = with(WAITING.headers(), HeaderNames.ATTEMPTS, "-3");

    assertThat(Journey.fromHeaders(headers, HERE, NOW).attempts()).isZero();
  }

  @Test
  void aDueHeaderThatIsNoInstantIsIgnoredAndTheRestKept() {
    List<KafkaHeader> headers = with(WAITING.headers(), HeaderNames.DUE, "tomorrow");

    assertThat(Journey.fromHeaders(headers, HERE, NOW))
        .isEqualTo(new Journey(ORIGIN, ORIGIN_TIMESTAMP, 2, null, PROGRESS, "billing"));
  }

  @Test
  void unknownHeadersAreIgnored() {
    List<KafkaHeader> headers = new ArrayList<>(WAITING.headers());
    headers.add(0, KafkaHeader.header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));

    assertThat(Journey.fromHeaders(headers, HERE, NOW)).isEqualTo(WAITING);
  }

  @Test
  void waitingKeepsWhereTheJobCameFromAndItsTenant() {
    Journey next = WAITING.waitingUntil(DUE.plusSeconds(60), 3, null);

    assertThat(next).isEqualTo(new Journey(ORIGIN, ORIGIN_TIMESTAMP, 3, DUE.plusSeconds(60), null, "billing"));
  }

  @Test
  void aTenantIsAddedWithoutChangingTheRest() {
    Journey started = Journey.start(ORIGIN, ORIGIN_TIMESTAMP);

    assertThat(started.ofTenant("alerts")).isEqualTo(new Journey(ORIGIN, ORIGIN_TIMESTAMP, 0, null, null, "alerts"));
  }
}
