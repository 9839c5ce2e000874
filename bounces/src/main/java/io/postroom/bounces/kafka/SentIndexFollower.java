package io.postroom.bounces.kafka;

import io.postroom.bounces.state.ReaderState;
import io.postroom.contract.State;
import io.postroom.contract.StatusEvent;
import io.postroom.contract.config.KafkaSection;
import io.postroom.contract.kafka.StatusRecord;
import io.postroom.contract.kafka.StatusTopicReader;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the sent index: reads {@code mail.status} from its beginning, keeps every {@code SENT}
 * event in the {@link ReaderState} under its Message-ID's ref, and follows the topic on. Only the
 * state header is looked at for the other events: their JSON is never parsed.
 */
public final class SentIndexFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SentIndexFollower.class);
  private final StatusTopicReader reader;
  private final ReaderState state;
  private final AtomicLong indexed = new AtomicLong();
  private volatile boolean caughtUp;
  private volatile CompletableFuture<Void> following = new CompletableFuture<>();

  public SentIndexFollower(KafkaSection kafka, ReaderState state) {
    this.reader = StatusTopicReader.open(kafka.clientProperties("sent-index"), kafka.statusTopic(), true,
        "postroom-sent-index");
    this.state = state;
  }

  /**
   * Reads up to the end the topic has now (within {@code limit}), then follows it.
   *
   * @return completes once caught up: every mail sent before this start is in the index
   */
  public CompletableFuture<Void> start(Duration limit) {
    long started = System.nanoTime();
    return reader.catchUp(StatusTopicReader.Start.beginning(), limit, this::index).thenCompose(done -> {
      if (!done) {
        return CompletableFuture.failedFuture(new IllegalStateException("the sent index did not catch up with "
            + "mail.status within " + limit.toSeconds() + " s"));
      }
      caughtUp = true;
      LOG.info("sent index caught up with mail.status: {} sent mails in {} ms", indexed.get(),
          (System.nanoTime() - started) / 1_000_000);
      following = reader.follow(StatusTopicReader.PartitionOffsets::position, this::index);
      return CompletableFuture.completedFuture(null);
    });
  }

  private void index(List<StatusRecord> records) {
    for (StatusRecord record : records) {
      if (record.state() == State.SENT) {
        StatusEvent event = record.event();
        if (event != null && state.putSent(event)) {
          indexed.incrementAndGet();
        }
      }
    }
  }

  public boolean caughtUp() {
    return caughtUp;
  }

  /** Completes exceptionally if following stopped for an error. */
  public CompletableFuture<Void> following() {
    return following;
  }

  public long indexed() {
    return indexed.get();
  }

  @Override
  public void close() {
    reader.close().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> null).join();
  }
}
