package io.postroom.dispatcher.redrive;

import io.postroom.contract.config.KafkaSection;
import java.util.function.Consumer;
import org.apache.kafka.common.KafkaException;

/**
 * Re-drives dead letters: reads the dead-letter topic up to its end at the start, selects the
 * letters a {@link RedriveRequest} names, and publishes each one's key and bytes to the jobs topic,
 * where the dispatchers take it as a new job record. Blocking, plain Kafka clients: a command-line
 * tool, not an event-loop component.
 */
public final class DeadLetterRedrive {
  private final KafkaSection kafka;

  public DeadLetterRedrive(KafkaSection kafka) {
    this.kafka = kafka;
  }

  /**
   * Re-drives what {@code request} selects (in a dry run: only counts it) and reports it per code.
   * {@code onSelected} sees each selected letter before it is published, including those skipped
   * for want of their bytes.
   *
   * @throws RedriveException when Kafka fails, with what was acknowledged until then
   */
  public RedriveReport redrive(RedriveRequest request, Consumer<DeadLetter> onSelected) {
    RedriveReport report = new RedriveReport(request.dryRun());
    try (DeadLetterReader reader = new DeadLetterReader(kafka)) {
      if (request.dryRun()) {
        reader.readAll(letter -> {
          if (chosen(request, letter, onSelected, report)) {
            report.redriven(letter.code());
          }
        });
      } else {
        try (JobRepublisher republisher = new JobRepublisher(kafka)) {
          publish(request, reader, republisher, onSelected, report);
        }
      }
      return report;
    } catch (KafkaException e) {
      throw new RedriveException(describe(e), e, report);
    }
  }

  /**
   * The messages of the error and of its causes, each once: Kafka's own message often says only
   * "Failed to construct kafka consumer", and the reason a person can act on is in a cause.
   */
  static String describe(Throwable error) {
    StringBuilder text = new StringBuilder(String.valueOf(error.getMessage()));
    for (Throwable cause = error.getCause(); cause != null; cause = cause.getCause()) {
      if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
        text.append(": ").append(cause.getMessage());
      }
    }
    return text.toString();
  }

  private static void publish(RedriveRequest request, DeadLetterReader reader, JobRepublisher republisher,
      Consumer<DeadLetter> onSelected, RedriveReport report) {
    KafkaException failure = null;
    try {
      reader.readAll(letter -> {
        if (chosen(request, letter, onSelected, report)) {
          republisher.publish(letter);
        }
      });
    } catch (KafkaException e) {
      failure = e;
    }
    // whatever stopped the reading, the jobs already sent are counted: the report must say they are back
    try {
      republisher.awaitAcknowledgements(report);
    } catch (KafkaException e) {
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Whether to re-drive {@code letter}: selected, and with its bytes; one selected without them is counted skipped. */
  private static boolean chosen(RedriveRequest request, DeadLetter letter, Consumer<DeadLetter> onSelected,
      RedriveReport report) {
    if (!request.selects(letter.code(), letter.timestamp())) {
      return false;
    }
    onSelected.accept(letter);
    if (!letter.hasValue()) {
      report.skipped(letter.code());
    }
    return letter.hasValue();
  }
}
