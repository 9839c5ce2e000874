package io.postroom.bounces;

import io.postroom.bounces.imap.Mailbox;
import io.postroom.bounces.kafka.FollowUpPublisher;
import io.postroom.bounces.report.Report;
import io.postroom.bounces.report.ReportReader;
import io.postroom.bounces.state.ReaderState;
import io.postroom.contract.StatusEvent;
import io.postroom.contract.compliance.Suppression;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One poll of the bounce mailbox, in batches of {@value #BATCH} messages: each message read and
 * decided ({@link ReportTriage}); the unusable ones moved aside at once with their reason; the
 * records of the others published together and acknowledged; then, and only then, those reports
 * remembered as processed and moved to the processed folder. A report already remembered (published
 * before a crash, never moved) is moved without being published again. Blocking: the reader's own
 * thread.
 */
public final class BounceReader {
  static final int BATCH = 200;
  private static final Logger LOG = LoggerFactory.getLogger(BounceReader.class);

  private final Mailbox mailbox;
  private final ReportTriage triage;
  private final FollowUpPublisher publisher;
  private final ReaderState state;
  private final BounceMetrics metrics;
  private final Clock clock;

  public BounceReader(Mailbox mailbox, ReportTriage triage, FollowUpPublisher publisher, ReaderState state,
      BounceMetrics metrics, Clock clock) {
    this.mailbox = mailbox;
    this.triage = triage;
    this.publisher = publisher;
    this.state = state;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** What one poll did. */
  public record Poll(int published, int aside, int later) {
  }

  /**
   * Reads the folder once, to the end.
   *
   * @throws MessagingException the mailbox could not be read or changed: the next poll tries again
   * @throws FollowUpPublisher.PublishException Kafka did not take a batch: nothing of it was moved
   */
  public Poll poll() throws MessagingException, FollowUpPublisher.PublishException {
    int published = 0;
    int aside = 0;
    int later = 0;
    mailbox.open();
    try {
      // the messages there now, each batch moved out before the next is read; new ones wait for the next poll
      Message[] all = mailbox.messages();
      for (int from = 0; from < all.length; from += BATCH) {
        Message[] slice = Arrays.copyOfRange(all, from, Math.min(all.length, from + BATCH));
        mailbox.prefetch(slice);
        Batch batch = batch(slice);
        published += batch.done.size();
        aside += batch.aside;
        later += batch.later;
      }
    } finally {
      mailbox.endPoll();
    }
    return new Poll(published, aside, later);
  }

  private static final class Batch {
    final List<Message> done = new ArrayList<>();
    int aside;
    int later;
  }

  private Batch batch(Message[] messages) throws MessagingException, FollowUpPublisher.PublishException {
    Batch batch = new Batch();
    triage.newBatch();
    Instant now = clock.instant();
    List<String> reportIds = new ArrayList<>();
    List<Verdict.Publish> publishes = new ArrayList<>();
    List<StatusEvent> events = new ArrayList<>();
    List<Suppression> suppressions = new ArrayList<>();
    Map<String, List<Instant>> soft = new LinkedHashMap<>();
    for (Message message : messages) {
      if (message.isExpunged()) {
        continue;
      }
      byte[] raw;
      Report report;
      try {
        raw = mailbox.raw(message);
        report = ReportReader.read(mailbox.parse(raw));
      } catch (IOException e) {
        throw new MessagingException("cannot fetch message " + message.getMessageNumber() + ": " + e.getMessage(), e);
      }
      if (state.isProcessed(report.reportId())) {
        batch.done.add(message);
        continue;
      }
      Verdict verdict = triage.decide(report, Mailbox.receivedAt(message), now);
      if (verdict instanceof Verdict.Aside a) {
        LOG.warn("report {} moved aside ({}): {}", report.reportId(), a.outcome(), a.reason());
        mailbox.moveAside(message, raw, a.outcome(), a.reason());
        metrics.report(a.outcome());
        batch.aside++;
      } else if (verdict instanceof Verdict.Later l) {
        metrics.report(l.outcome());
        batch.later++;
      } else {
        Verdict.Publish p = (Verdict.Publish) verdict;
        publishes.add(p);
        events.addAll(p.events());
        suppressions.addAll(p.suppressions());
        soft.putAll(p.softBounces());
        reportIds.add(report.reportId());
        batch.done.add(message);
      }
    }
    if (!publishes.isEmpty()) {
      publisher.publish(events, suppressions);
      state.commit(reportIds, soft, now);
      publishes.forEach(p -> metrics.report(p.outcome()));
      events.forEach(metrics::followUp);
      suppressions.forEach(metrics::suppression);
    }
    mailbox.moveToProcessed(batch.done);
    return batch;
  }
}
