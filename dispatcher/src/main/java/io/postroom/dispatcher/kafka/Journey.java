package io.postroom.dispatcher.kafka;

import static io.postroom.contract.kafka.HeaderNames.ATTEMPTS;
import static io.postroom.contract.kafka.HeaderNames.BULK_RATE;
import static io.postroom.contract.kafka.HeaderNames.DUE;
import static io.postroom.contract.kafka.HeaderNames.ORIGIN;
import static io.postroom.contract.kafka.HeaderNames.ORIGIN_TIMESTAMP;
import static io.postroom.contract.kafka.HeaderNames.PAUSES;
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
 * @param bulk for a recipient job of a bulk send: its send's rate and the pauses it waited out; else null
 */
public record Journey(RecordPosition origin, long originTimestamp, int attempts, Instant due, String progress,
    String tenant, BulkTerms bulk) {

  /**
   * What a bulk send's recipient job carries beside its JSON, which is an ordinary job's.
   *
   * @param maxRate the send's {@code maxRate} (messages per second, across the group), or null
   * @param pauses how many times the job waited out its send's pause
   */
  public record BulkTerms(Double maxRate, int pauses) {
    public static final BulkTerms NONE = new BulkTerms(null, 0);

    public BulkTerms paused() {
      return new BulkTerms(maxRate, pauses + 1);
    }
  }

  /** A journey with no bulk terms: a single job's. */
  public Journey(RecordPosition origin, long originTimestamp, int attempts, Instant due, String progress, String tenant) {
    this(origin, originTimestamp, attempts, due, progress, tenant, null);
  }

  /** The bulk terms, {@link BulkTerms#NONE} for a single job. */
  public BulkTerms bulkTerms() {
    return bulk == null ? BulkTerms.NONE : bulk;
  }

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
    Double maxRate = null;
    int pauses = 0;
    boolean bulk = false;
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
          case BULK_RATE -> {
            bulk = true;
            double rate = Double.parseDouble(value);
            maxRate = rate > 0 && Double.isFinite(rate) ? rate : null;
          }
          case PAUSES -> {
            bulk = true;
            pauses = Math.max(0, Integer.parseInt(value));
          }
          default -> { }
        }
      } catch (RuntimeException e) {
        // a damaged header: go on with what can be read; the worst case is an early or repeated attempt
      }
    }
    if (origin == null) {
      return start(coordinates, timestamp);
    }
    return new Journey(origin, originTimestamp, attempts, due, progress, tenant,
        bulk ? new BulkTerms(maxRate, pauses) : null);
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
    if (bulk != null && bulk.maxRate() != null) {
      headers.add(header(BULK_RATE, Double.toString(bulk.maxRate())));
    }
    if (bulk != null && bulk.pauses() > 0) {
      headers.add(header(PAUSES, Integer.toString(bulk.pauses())));
    }
    return headers;
  }

  public Journey waitingUntil(Instant due, int attempts, String progress) {
    return new Journey(origin, originTimestamp, attempts, due, progress, tenant, bulk);
  }

  public Journey ofTenant(String tenant) {
    return new Journey(origin, originTimestamp, attempts, due, progress, tenant, bulk);
  }

  /** The journey of a bulk send's recipient job. */
  public Journey ofBulk(BulkTerms terms) {
    return new Journey(origin, originTimestamp, attempts, due, progress, tenant, terms);
  }

  private static KafkaHeader header(String key, String value) {
    return KafkaHeader.header(key, Buffer.buffer(value, StandardCharsets.UTF_8.name()));
  }
}
