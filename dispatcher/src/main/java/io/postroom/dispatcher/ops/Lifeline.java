package io.postroom.dispatcher.ops;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a part of a running dispatcher that cannot recover by itself (Kafka gone for longer than the
 * tolerance, a producer Kafka fenced or refused for good, an event loop stuck) ends the process
 * with its reason, instead of leaving it half alive. The first reason wins; {@code Main} stops the
 * dispatcher and exits with code 1. Thread-safe.
 */
public final class Lifeline {
  private static final Logger LOG = LoggerFactory.getLogger(Lifeline.class);
  private final CompletableFuture<String> ended = new CompletableFuture<>();

  /** @param reason a sentence naming the fault and what to do about it */
  public void end(String reason) {
    if (ended.complete(reason)) {
      LOG.error("{}; ending the process", reason);
    }
  }

  public boolean ended() {
    return ended.isDone();
  }

  /** Completes with the first reason given to {@link #end}. */
  public CompletionStage<String> reason() {
    return ended;
  }
}
