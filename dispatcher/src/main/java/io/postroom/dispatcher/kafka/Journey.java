package io.postroom.dispatcher.kafka;

import static io.postroom.contract.kafka.HeaderNames.ATTEMPTS;
import static io.postroom.contract.kafka.HeaderNames.DUE;
import static io.postroom.contract.kafka.HeaderNames.ORIGIN;
import static io.postroom.contract.kafka.HeaderNames.ORIGIN_TIMESTAMP;
import static io.postroom.contract.kafka.HeaderNames.PROGRESS;
import static io.postroom.contract.kafka.HeaderNames.TENANT;

import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.producer.KafkaHeader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a job carries from topic to topic when it leaves {@code mail.jobs} to wait (a retry tier, a
 * lane topic) and comes back: where it was first read, which keeps its status events and dedupe
 * keyed to that record and its Message-ID the same; the attempts it used; when it is due; how far
 * its SMTP transactions got. All of it rides in record headers ({@link io.postroom.contract.kafka.HeaderNames}); the value stays the job's original
 * bytes, so a dead letter or a re-drive still holds exactly what upstream sent.
 *
 * @param origin where the job's record on the jobs topic is
 * @param originTimestamp that record's timestamp, which the Message-ID is made from
 * @param attempts send attempts used so far (transient failures)
 * @param due not to be tried before this instant; null for "now"
 * @param progress how far a job of several SMTP transactions got; null before its first attempt
 * @param tenant the job's tenant, so a lane topic's reader need not parse the job to find its lane
 */
public record Journey(RecordPosition origin, long originTimestamp, int attempts, Instant due, String progress, String tenant) {

  /** A job read for the first time, from the jobs topic (or one whose headers were lost). */
  public static Journey start(RecordPosition coordinates, long timestamp) {
    return new Journey(coordinates, timestamp, 0, null, null, null);
  }

  /**
   * From a record's headers; a record without an origin header is on its first journey from
   * {@code coordinates}. A header that cannot be read is ignored rather than losing the job.
   */
  public static Journey fromHeaders(List<KafkaHeader> headers, RecordPosition coordinates, long timestamp) {
    RecordPosition origin = null;
    long originTimestamp = timestamp;
    int attempts = 0;
    Instant due = null;
    String progress = null;
    String tenant = null;
    for (KafkaHeader header : headers) {
      String value = header.value() == null ? null : header.value().toString(StandardCharsets.UTF_8);
      if (value == null) {
        continue;
      }
      try {
        switch (header.key()) {
          case ORIGIN -> origin = RecordPosition.parse(value);
          case ORIGIN_TIMESTAMP -> originTimestamp = Long.parseLong(value);
          case ATTEMPTS -> attempts = Math.max(0, Integer.parseInt(value));
          case DUE -> due = Instant.parse(value);
          case PROGRESS -> progress = value;
          case TENANT -> tenant = value;
          default -> { }
        }
      } catch (RuntimeException e) {
        // a damaged header: go on with what can be read; the worst case is an early or repeated attempt
      }
    }
    if (origin == null) {
      return start(coordinates, timestamp);
    }
    return new Journey(origin, originTimestamp, attempts, due, progress, tenant);
  }

  /** Headers for the job's next record. */
  public List<KafkaHeader> headers() {
    List<KafkaHeader> headers = new ArrayList<>();
    headers.add(header(ORIGIN, origin.toString()));
    headers.add(header(ORIGIN_TIMESTAMP, Long.toString(originTimestamp)));
    headers.add(header(ATTEMPTS, Integer.toString(attempts)));
    if (due != null) {
      headers.add(header(DUE, due.toString()));
    }
    if (progress != null) {
      headers.add(header(PROGRESS, progress));
    }
    if (tenant != null) {
      headers.add(header(TENANT, tenant));
    }
    return headers;
  }

  public Journey waitingUntil(Instant due, int attempts, String progress) {
    return new Journey(origin, originTimestamp, attempts, due, progress, tenant);
  }

  public Journey ofTenant(String tenant) {
    return new Journey(origin, originTimestamp, attempts, due, progress, tenant);
  }

  private static KafkaHeader header(String key, String value) {
    return KafkaHeader.header(key, Buffer.buffer(value, StandardCharsets.UTF_8.name()));
  }
}
