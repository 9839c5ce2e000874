package io.postroom.loadtest.demo;

import io.postroom.contract.State;
import io.postroom.contract.StatusEvent;
import io.postroom.contract.cli.Cli;
import io.postroom.contract.compliance.TokenKeys;
import io.postroom.contract.cli.OptionValues;
import io.postroom.contract.cli.Progress;
import io.postroom.contract.config.KafkaSection;
import io.postroom.api.http.ApiConfig;
import io.postroom.api.http.ApiKeys;
import io.postroom.api.http.ApiServer;
import io.postroom.dispatcher.Dispatcher;
import io.postroom.testkit.Certificates;
import io.postroom.testkit.DispatcherSettings;
import io.postroom.testkit.FreePort;
import io.postroom.testkit.KafkaBroker;
import io.postroom.testkit.OutcomeWatcher;
import io.postroom.testkit.SampleJobs;
import io.postroom.testkit.SmtpRelay;
import io.postroom.testkit.Topics;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bin/postroom demo}: the whole pipeline on this machine with no set-up. A Kafka broker, a
 * relay that requires STARTTLS and AUTH (with a certificate made now), one dispatcher and the api; a
 * batch of sample jobs with a few bad ones among them, and two bulk sends through the api (one with
 * two recipients lacking a variable, one cancelled part-way: {@link BulkSend}); a progress bar; a
 * summary. Exit code 0 when every job and every bulk recipient reached exactly one terminal state,
 * the one it must.
 */
@Command(name = "bin/postroom demo",
    sortOptions = false,
    description = {"Runs the whole pipeline on this machine: a Kafka broker, a relay that requires STARTTLS and",
        "AUTH, the dispatcher and the api; sends N sample jobs (a few invalid, repeated or refused ones",
        "among them) and two bulk sends through the api (POST /v1/bulk): one with two recipients lacking",
        "a variable, one cancelled part-way (POST /v1/bulk/{id}/cancel); shows their progress and prints",
        "a summary, with each bulk send's counts per state.", ""},
    footer = {"", "Exit codes: 0 every job and bulk recipient reached exactly one terminal state, the one it",
        "must; 1 not; 2 a bad option."})
public final class Demo implements Callable<Integer> {
  /** Below Kafka's default 1 MiB record limit, so that the oversize sample job can be published. */
  private static final long MAX_MESSAGE_BYTES = 512 * 1024;
  private static final Duration FINISH_TIMEOUT = Duration.ofMinutes(5);
  /** How often the wait for the outcomes looks whether a bulk send is due to be cancelled. */
  private static final Duration CANCEL_CHECK = Duration.ofMillis(100);

  @Spec
  private CommandSpec spec;
  private PrintWriter out;

  @Option(names = "--jobs", paramLabel = "N", description = "sample jobs to send (${DEFAULT-VALUE})")
  private long jobs = 10_000;

  @Option(names = "--recipients", paramLabel = "N", description = "recipients of each of the two bulk sends"
      + " (${DEFAULT-VALUE}; 0: none)")
  private long recipients = 3_000;

  @Option(names = "--keep-running", description = "leave the broker, relay, dispatcher and api (its dashboard) up"
      + " afterwards, until Ctrl-C")
  private boolean keepRunning;

  public Demo() {
  }

  public static void main(String[] args) {
    Cli.exit(new Demo(), args);
  }

  @Override
  public Integer call() throws Exception {
    int jobCount = (int) OptionValues.range(spec, "--jobs", jobs, 1, 1_000_000);
    // fewer than 100 would leave the paced send too short to be cancelled part-way
    if (recipients != 0 && (recipients < 100 || recipients > 100_000)) {
      throw Cli.invalid(spec, "--recipients", String.format(Locale.ROOT,
          "must be 0 (no bulk sends) or from 100 to 100,000, got %,d", recipients));
    }
    int recipientCount = (int) recipients;
    out = spec.commandLine().getOut();
    return run(jobCount, recipientCount, keepRunning);
  }

  private int run(int jobCount, int recipientCount, boolean keepRunning) throws Exception {
    Path work = Files.createTempDirectory("postroom-demo-");
    say("Postroom demo: working in " + work);

    long t0 = System.nanoTime();
    KafkaBroker broker = KafkaBroker.start(work.resolve("kafka"));
    Topics topics = Topics.DEFAULT.create(broker, 8);
    say(String.format("  Kafka broker (KRaft %s) on %s, ready in %.1f s", "4.3.1", broker.bootstrapServers(),
        seconds(System.nanoTime() - t0)));

    String password = UUID.randomUUID().toString();
    Certificates certificates = Certificates.create(work.resolve("tls"), "localhost", "127.0.0.1");
    Vertx relayVertx = Vertx.vertx();
    SmtpRelay relay = new SmtpRelay(SmtpRelay.Options.builder()
        .certificates(certificates)
        .user("postroom", password)
        .maxSize(MAX_MESSAGE_BYTES * 2)
        .rejectRecipients("nobody@.*", "550 5.1.1 <{address}>: Recipient address rejected: User unknown")
        .build());
    relay.start(relayVertx).toCompletionStage().toCompletableFuture().get();
    say("  relay on localhost:" + relay.port() + ": STARTTLS required, then AUTH (user postroom), TLS 1.2+,"
        + " certificate from a CA made just now");

    int apiPort = portFree(8080) ? 8080 : FreePort.any();
    Path tokenKeys = Files.writeString(work.resolve("token-keys"), TokenKeys.newKeyLine("demo"));
    DispatcherSettings settings = DispatcherSettings.of(broker.bootstrapServers(), topics, KafkaSection.DEFAULT_CONSUMER_GROUP)
        .relay("localhost", relay.port(), "postroom", password, certificates.caPem())
        .relayOption("maxMessageBytes", MAX_MESSAGE_BYTES)
        // mail that is welcome: one-click unsubscribe links to this api, VERP senders, the suppression list
        .env("POSTROOM_TOKEN_KEYS_FILE", tokenKeys.toString())
        .env("POSTROOM_UNSUBSCRIBE_BASE_URL", "http://localhost:" + apiPort)
        .env("POSTROOM_UNSUBSCRIBE_MAILTO", Welcome.UNSUBSCRIBE_MAILBOX)
        .env("POSTROOM_BOUNCE_DOMAIN", Welcome.BOUNCE_DOMAIN)
        .env("POSTROOM_STATE_DIR", work.resolve("dispatcher-state").toString());
    Welcome.suppressBeforeTheJobs(broker, topics, jobCount).forEach(line -> say(line));
    Dispatcher dispatcher = Dispatcher.start(settings.load(work)).toCompletionStage().toCompletableFuture().get();
    say("  dispatcher: health and metrics on http://localhost:" + dispatcher.httpPort() + "/metrics");
    String key = ApiKeys.generate();
    RunningApi running = startApi(work, broker, topics, relayVertx, dispatcher.httpPort(), key, apiPort, tokenKeys);
    ApiServer api = running.server();
    DemoApi client = running.client();

    OutcomeWatcher watcher = OutcomeWatcher.start(broker.bootstrapServers(), topics);
    Batch batch = publish(broker, topics, jobCount);
    say(String.format("%nPublished %,d records to %s: %,d valid jobs, %d invalid ones, %d repeated ids,"
        + " %d to an unknown recipient.", batch.records(), topics.jobs(), jobCount, batch.invalid(), batch.repeats(),
        batch.unknownRecipients()));
    List<BulkSend> sends = recipientCount == 0 ? List.of()
        : List.of(BulkSend.statement(recipientCount), BulkSend.cancelledPartWay(recipientCount));
    for (BulkSend send : sends) {
      say("Posted " + send.post(client) + ".");
    }
    say("");
    int expected = batch.records() + sends.stream().mapToInt(BulkSend::recipients).sum();

    boolean complete = progress(watcher, expected, () -> sends.forEach(send -> send.cancelWhenDue(watcher, client)));
    long elapsed = System.nanoTime() - batch.startedNanos();
    Summary summary = Summary.of(watcher, batch.publishedAtMillis(), relay, expected);
    summary.print(elapsed, out);
    boolean bulkAsExpected = reportBulkSends(sends, watcher, relay, client);
    boolean welcome = Welcome.report(watcher, relay, jobCount, out);
    boolean exactlyOnce = summary.jobsWithSeveralTerminalStates() == 0;
    say(String.format("  exactly one terminal state per job and bulk recipient: %s",
        exactlyOnce && summary.finished() == expected ? "yes" : "NO"));

    if (keepRunning) {
      say("\n--keep-running: dispatcher, api (dashboard), broker and relay stay up; Ctrl-C stops them.");
      Thread.currentThread().join();
    }
    watcher.close();
    api.close().toCompletionStage().toCompletableFuture().get();
    dispatcher.stop().toCompletionStage().toCompletableFuture().get();
    relay.close();
    relayVertx.close();
    broker.close();
    if (!complete || !exactlyOnce || !bulkAsExpected || !welcome) {
      say("\nNOT every job and bulk recipient reached exactly one terminal state, the one it must: see above.");
      return 1;
    }
    return 0;
  }

  /** Each bulk send's counts per state, from the status events and from the api, checked; false if one is not right. */
  private boolean reportBulkSends(List<BulkSend> sends, OutcomeWatcher watcher, SmtpRelay relay, DemoApi client) {
    if (sends.isEmpty()) {
      return true;
    }
    say("");
    say("Bulk sends (POST /v1/bulk, tenant " + BulkSend.TENANT + ")");
    Map<String, List<StatusEvent>> terminalById = watcher.terminalById();
    boolean asExpected = true;
    for (BulkSend send : sends) {
      asExpected &= send.report(terminalById, client, out);
    }
    long sent = watcher.terminalEvents().stream().filter(e -> e.bulkId() != null && e.state() == State.SENT).count();
    BulkSend.Personalised mails = BulkSend.Personalised.of(relay.received());
    boolean personalised = mails.bulkMails() == sent && mails.greetingTheirRecipient() == sent;
    say(String.format("  %-15s %,d mails of the bulk sends at the relay, %,d greeting their recipient by name and"
        + " amount (%,d SENT)%s", "personalised", mails.bulkMails(), mails.greetingTheirRecipient(), sent,
        personalised ? "" : ": NOT as expected"));
    return asExpected && personalised;
  }

  private record RunningApi(ApiServer server, DemoApi client) {
  }

  /** The api with its dashboard, on port 8080 if it is free; it reads mail.status into the work dir. */
  private RunningApi startApi(Path work, KafkaBroker broker, Topics topics, Vertx vertx, int dispatcherPort,
      String key, int apiPort, Path tokenKeys) throws Exception {
    JsonObject config = new JsonObject()
        .put("kafka", new JsonObject().put("topics", new JsonObject().put("jobs", topics.jobs())
            .put("status", topics.status())))
        .put("tenants", new JsonObject().put("demo", new JsonObject()
            .put("apiKeys", new JsonArray().add(ApiKeys.hash(key)))
            .put("senderDomains", new JsonArray().add("example.gov.in"))))
        // a high request rate for the demo's key, so that loadtest/api-ingest.py measures the api, not its limit
        .put("api", new JsonObject().put("stateDir", work.resolve("api-state").toString())
            .put("requestsPerSecondPerKey", 100_000)
            .put("dispatchers", new JsonArray().add("http://127.0.0.1:" + dispatcherPort)));
    Path file = work.resolve("api.json");
    Files.writeString(file, config.encodePrettily());
    ApiServer api = new ApiServer(vertx, ApiConfig.load(Map.of("POSTROOM_CONFIG", file.toString(),
        "POSTROOM_KAFKA_BOOTSTRAP", broker.bootstrapServers(), "POSTROOM_API_PORT", Integer.toString(apiPort),
        "POSTROOM_TOKEN_KEYS_FILE", tokenKeys.toString())));
    int port = api.start().toCompletionStage().toCompletableFuture().get();
    say("  ops dashboard: http://localhost:" + port + "/  (live mail flow, backlog, relays, failures)");
    say("  api: POST http://localhost:" + port + "/v1/jobs or /v1/bulk with 'Authorization: Bearer " + key + "'"
        + " (tenant demo, sender domain example.gov.in; a key made for this run only)");
    return new RunningApi(api, new DemoApi(port, key));
  }

  private static boolean portFree(int port) {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(port)) {
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private record Batch(int records, int invalid, int repeats, int unknownRecipients, long startedNanos,
      Map<String, Long> publishedAtMillis) {
  }

  private static Batch publish(KafkaBroker broker, Topics topics, int jobCount) {
    String[] tenants = {"billing", "alerts", "passwords"};
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    Map<String, Long> publishedAt = new HashMap<>();
    for (int i = 0; i < jobCount; i++) {
      String id = "demo-" + i;
      JsonObject job = SampleJobs.valid(id, tenants[i % tenants.length], "citizen" + i + "@example.org");
      records.add(new ProducerRecord<>(topics.jobs(), id, SampleJobs.bytes(job)));
    }
    int unknown = 0;
    for (int i = 0; i < 3; i++) {
      String id = "demo-unknown-" + i;
      records.add(new ProducerRecord<>(topics.jobs(), id,
          SampleJobs.bytes(SampleJobs.valid(id, "billing", "nobody@example.org"))));
      unknown++;
    }
    // a job with two recipients, one unknown: sent to the other, the refusal reported
    JsonObject partial = SampleJobs.valid("demo-partial", "billing", "citizen@example.org");
    partial.put("cc", new JsonArray().add("nobody@example.org"));
    records.add(new ProducerRecord<>(topics.jobs(), "demo-partial", SampleJobs.bytes(partial)));
    int repeats = Math.min(5, jobCount);
    for (int i = 0; i < repeats; i++) {
      String id = "demo-" + i;
      records.add(new ProducerRecord<>(topics.jobs(), id,
          SampleJobs.bytes(SampleJobs.valid(id, tenants[i % tenants.length], "citizen" + i + "@example.org"))));
    }
    List<SampleJobs.Invalid> invalid = SampleJobs.invalid("demo-bad", "citizen@example.org", MAX_MESSAGE_BYTES);
    invalid.forEach(bad -> records.add(new ProducerRecord<>(topics.jobs(), bad.id(), bad.bytes())));
    long started = System.nanoTime();
    long now = System.currentTimeMillis();
    records.forEach(r -> publishedAt.putIfAbsent(r.key(), now));
    broker.publishAll(records);
    return new Batch(records.size(), invalid.size(), repeats, unknown, started, publishedAt);
  }

  /**
   * Waits for every record and bulk recipient to finish, its progress shown, running {@code whileWaiting}
   * every {@link #CANCEL_CHECK}; false if they did not finish within the timeout.
   */
  private boolean progress(OutcomeWatcher watcher, int expected, Runnable whileWaiting) throws InterruptedException {
    long deadline = System.nanoTime() + FINISH_TIMEOUT.toNanos();
    boolean finished = false;
    try (Progress progress = Progress.start("postroom demo", "jobs finished", expected, watcher::finished)) {
      while (!finished && System.nanoTime() < deadline) {
        whileWaiting.run();
        finished = watcher.awaitFinished(expected, CANCEL_CHECK);
      }
    }
    if (!finished) {
      say("timed out after " + FINISH_TIMEOUT + " with " + (expected - watcher.finished()) + " jobs unfinished");
    }
    return finished;
  }

  /** The numbers the demo ends with. */
  private record Summary(Map<State, Integer> counts, int deadLetters, int finished, int expected,
      List<Long> latencies, int relayReceived, int distinctMessageIds, int relayConnections, int peakConnections,
      int jobsWithSeveralTerminalStates) {

    static Summary of(OutcomeWatcher watcher, Map<String, Long> publishedAt, SmtpRelay relay, int expected) {
      List<Long> latencies = new ArrayList<>();
      for (StatusEvent event : watcher.terminalEvents()) {
        Long published = publishedAt.get(event.id());
        if (event.state() == State.SENT && published != null) {
          latencies.add(event.at().toEpochMilli() - published);
        }
      }
      latencies.sort(Long::compare);
      // a repeated id legitimately has two terminal events: SENT, then DUPLICATE
      int several = (int) watcher.terminalById().values().stream()
          .filter(events -> events.stream().filter(e -> e.state() != State.DUPLICATE).count() > 1).count();
      return new Summary(watcher.terminalCounts(), watcher.deadLetters().size(), watcher.finished(), expected,
          latencies, relay.count(), relay.distinctMessageIds().size(), relay.connections(), relay.peakOpenConnections(),
          several);
    }

    void print(long elapsedNanos, PrintWriter out) {
      int sent = counts.getOrDefault(State.SENT, 0);
      out.println();
      out.println("Summary (the jobs and the bulk sends' recipients)");
      out.printf("  sent            %,8d%n", sent);
      out.printf("  failed          %,8d%n", counts.getOrDefault(State.FAILED, 0));
      out.printf("  rejected        %,8d   (+ %d dead letters in all, incl. records without a readable id)%n",
          counts.getOrDefault(State.REJECTED, 0), deadLetters);
      out.printf("  duplicates      %,8d%n", counts.getOrDefault(State.DUPLICATE, 0));
      out.printf("  expired         %,8d%n", counts.getOrDefault(State.EXPIRED, 0));
      out.printf("  cancelled       %,8d%n", counts.getOrDefault(State.CANCELLED, 0));
      out.printf("  suppressed      %,8d%n", counts.getOrDefault(State.SUPPRESSED, 0));
      out.printf("  finished        %,8d of %,d%n", finished, expected);
      out.printf("  relay received  %,8d messages, %,d distinct Message-IDs, over %d connections (at most %d"
          + " open at once)%n", relayReceived, distinctMessageIds, relayConnections, peakConnections);
      out.printf("  throughput      %,8.0f jobs/s  (%,d in %.2f s, publish to last outcome)%n",
          finished / seconds(elapsedNanos), finished, seconds(elapsedNanos));
      if (!latencies.isEmpty()) {
        out.printf("  publish -> 250  p50 %d ms, p99 %d ms (the single jobs)%n", percentile(50), percentile(99));
      }
    }

    private long percentile(int p) {
      int index = (int) Math.ceil(p / 100.0 * latencies.size()) - 1;
      return latencies.get(Math.max(0, Math.min(latencies.size() - 1, index)));
    }
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private void say(String line) {
    out.println(line);
  }
}
