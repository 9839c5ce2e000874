package io.postroom.loadtest.demo;

import io.postroom.contract.ErrorCode;
import io.postroom.contract.State;
import io.postroom.contract.StatusEvent;
import io.postroom.testkit.OutcomeWatcher;
import io.postroom.testkit.ReceivedMail;
import io.postroom.testkit.SampleBulks;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One of the demo's bulk sends through the api ({@code POST /v1/bulk}, tenant demo): a statement to
 * citizens 0 to n-1, each greeted by name and amount ({@link SampleBulks}). Some recipients may lack
 * their amount (they must end REJECTED with RENDER_FAILED naming it); a send with a {@code maxRate} is
 * cancelled ({@code POST /v1/bulk/{id}/cancel}) once a tenth of it is SENT, and the rest must end
 * CANCELLED. {@link #report} checks, and prints, what became of every recipient.
 */
final class BulkSend {
  static final String TENANT = "demo";
  private static final String MISSING_VARIABLE = "amount";
  /** How long the api's status store may lag behind the events the demo has read. */
  private static final Duration API_CATCH_UP = Duration.ofSeconds(30);

  private final String id;
  private final int recipients;
  private final Set<Integer> withoutAmount;
  private final Integer maxRate;
  private int sentWhenCancelled = -1;

  private BulkSend(String id, int recipients, Set<Integer> withoutAmount, Integer maxRate) {
    this.id = id;
    this.recipients = recipients;
    this.withoutAmount = withoutAmount;
    this.maxRate = maxRate;
  }

  /** A send that runs to its end; two of its recipients lack a variable. */
  static BulkSend statement(int recipients) {
    return new BulkSend("demo-statement", recipients, Set.of(recipients / 3, 2 * recipients / 3), null);
  }

  /** A send paced so that sending all of it would take 30 s, cancelled once a tenth of it is SENT. */
  static BulkSend cancelledPartWay(int recipients) {
    return new BulkSend("demo-reminder", recipients, Set.of(), Math.max(1, recipients / 30));
  }

  int recipients() {
    return recipients;
  }

  /** Uploads the send; the api's answer, described in a sentence. */
  String post(DemoApi api) {
    JsonObject send = SampleBulks.statement(id, TENANT, 0, recipients, n -> {
      JsonObject citizen = SampleBulks.citizen(n);
      if (withoutAmount.contains(n)) {
        citizen.getJsonObject("vars").remove(MISSING_VARIABLE);
      }
      return citizen;
    });
    if (maxRate != null) {
      send.put("maxRate", maxRate);
    }
    JsonObject answer = api.post("/v1/bulk", send, 202);
    int chunks = answer.getInteger("chunks");
    String what = String.format("bulk send %s: %,d recipients accepted in %d chunk%s", id,
        answer.getInteger("accepted"), chunks, chunks == 1 ? "" : "s");
    if (!withoutAmount.isEmpty()) {
      what += ", " + withoutAmount.size() + " of them without the variable '" + MISSING_VARIABLE + "'";
    }
    if (maxRate != null) {
      what += String.format(", at most %d/s; to be cancelled once %,d are sent", maxRate, cancelAt());
    }
    return what;
  }

  private int cancelAt() {
    return Math.max(1, recipients / 10);
  }

  /** Cancels a paced send once a tenth of it is SENT; call it while waiting for the outcomes. */
  void cancelWhenDue(OutcomeWatcher watcher, DemoApi api) {
    if (maxRate == null || sentWhenCancelled >= 0) {
      return;
    }
    int sent = watcher.count(id, State.SENT);
    if (sent >= cancelAt()) {
      api.post("/v1/bulk/" + id + "/cancel", new JsonObject(), 202);
      sentWhenCancelled = sent;
    }
  }

  /**
   * Prints what became of the send, from the status events and from {@code GET /v1/bulk/{id}}, and
   * whether that is what it must be: every recipient exactly one terminal state, the counts of both
   * the same. False, with the reasons printed, when not.
   */
  boolean report(Map<String, List<StatusEvent>> terminalById, DemoApi api, PrintWriter out) {
    List<String> problems = new ArrayList<>();
    Map<State, Integer> states = new EnumMap<>(State.class);
    List<StatusEvent> rejected = new ArrayList<>();
    int lost = 0;
    int several = 0;
    for (int n = 0; n < recipients; n++) {
      List<StatusEvent> events = terminalById.getOrDefault(id + "/c-" + n, List.of());
      if (events.isEmpty()) {
        lost++;
        continue;
      }
      several += events.size() > 1 ? 1 : 0;
      events.forEach(event -> states.merge(event.state(), 1, Integer::sum));
      StatusEvent event = events.get(0);
      if (event.state() == State.REJECTED) {
        rejected.add(event);
      }
      if (!asExpected(n, event)) {
        problems.add("c-" + n + " ended " + event.state() + (event.error() == null ? "" : ": " + event.error()));
      }
    }
    if (lost > 0) {
      problems.add(String.format("%,d recipients without a terminal state", lost));
    }
    if (several > 0) {
      problems.add(String.format("%,d recipients with more than one terminal state", several));
    }
    if (maxRate != null) {
      if (sentWhenCancelled < 0) {
        problems.add("never cancelled: fewer than " + cancelAt() + " were sent");
      } else if (states.getOrDefault(State.CANCELLED, 0) == 0) {
        problems.add("cancelled, yet every recipient was sent");
      }
      if (states.getOrDefault(State.SENT, 0) + states.getOrDefault(State.CANCELLED, 0) != recipients) {
        problems.add("SENT + CANCELLED is not the number of recipients");
      }
    }

    out.printf("  %-15s %,d recipients%s: %s%n", id, recipients,
        maxRate == null ? "" : String.format(" at most %d/s, cancelled at %,d sent", maxRate, sentWhenCancelled),
        counts(states));
    for (StatusEvent event : rejected) {
      out.printf("  %-15s %s %s %s: %s%n", "", event.key(), event.state(), event.errorCode(), event.error());
    }
    JsonObject progress = progressFromApi(api);
    Map<State, Integer> apiStates = new EnumMap<>(State.class);
    progress.getJsonObject("states", new JsonObject())
        .forEach(entry -> apiStates.put(State.valueOf(entry.getKey()), ((Number) entry.getValue()).intValue()));
    boolean agrees = apiStates.equals(states);
    out.printf("  %-15s GET /v1/bulk/%s: control %s, %s, %,d finished (%s)%n", "", id, progress.getString("control"),
        counts(apiStates), progress.getLong("finished", 0L), agrees ? "the same" : "NOT the same as the events");
    if (!agrees) {
      problems.add("GET /v1/bulk/" + id + " does not count what the status events say");
    }
    problems.forEach(problem -> out.printf("  %-15s NOT as expected: %s%n", "", problem));
    return problems.isEmpty();
  }

  /** Recipient {@code n}'s one terminal state: RENDER_FAILED naming the variable it lacks, else SENT (or CANCELLED once cancelled). */
  private boolean asExpected(int n, StatusEvent event) {
    if (withoutAmount.contains(n)) {
      return event.state() == State.REJECTED && event.errorCode() == ErrorCode.RENDER_FAILED
          && event.error() != null && event.error().contains(MISSING_VARIABLE);
    }
    return event.state() == State.SENT || maxRate != null && event.state() == State.CANCELLED;
  }

  /** {@code GET /v1/bulk/{id}} once the api counts every recipient finished, or its last answer. */
  private JsonObject progressFromApi(DemoApi api) {
    long deadline = System.nanoTime() + API_CATCH_UP.toNanos();
    JsonObject progress = api.get("/v1/bulk/" + id);
    while (progress.getLong("finished", 0L) < recipients && System.nanoTime() < deadline) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      progress = api.get("/v1/bulk/" + id);
    }
    return progress;
  }

  private static String counts(Map<State, Integer> states) {
    List<String> parts = new ArrayList<>();
    states.forEach((state, count) -> parts.add(String.format("%,d %s", count, state)));
    return parts.isEmpty() ? "nothing" : String.join(", ", parts);
  }

  /** The relay's mails of the demo's bulk sends, and how many of those greet their recipient by name and amount. */
  record Personalised(int bulkMails, int greetingTheirRecipient) {

    static Personalised of(List<ReceivedMail> mails) {
      int bulk = 0;
      int greeting = 0;
      for (ReceivedMail mail : mails) {
        if (isBulkMail(mail)) {
          bulk++;
          greeting += SampleBulks.greetsItsRecipient(mail) ? 1 : 0;
        }
      }
      return new Personalised(bulk, greeting);
    }

    /** A mail of the demo's bulk sends: the sample statement greets a citizen. */
    static boolean isBulkMail(ReceivedMail mail) {
      return mail.text().contains("Dear Citizen ");
    }
  }
}
