package io.postroom.testkit.it;

import static io.postroom.testkit.it.Pipeline.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.postroom.bounces.BounceService;
import io.postroom.bounces.config.BouncesConfig;
import io.postroom.bounces.imap.Mailbox;
import io.postroom.contract.State;
import io.postroom.contract.StatusEvent;
import io.postroom.contract.compliance.BounceKind;
import io.postroom.contract.compliance.BounceToken;
import io.postroom.contract.compliance.Suppression;
import io.postroom.contract.compliance.SuppressionReason;
import io.postroom.contract.compliance.TokenKeys;
import io.postroom.contract.kafka.HeaderNames;
import io.postroom.testkit.DovecotMailbox;
import io.postroom.testkit.IntegrationTest;
import io.postroom.testkit.KafkaBroker;
import io.postroom.testkit.PostfixRelay;
import io.postroom.testkit.SampleJobs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bounce reader against real parts: a Kafka broker, Debian's Postfix (the test relay, whose
 * error(8) transport fails {@code dead.postroom.test} with 5.1.1 and {@code policy.postroom.test}
 * with 5.7.26, and whose bounce(8) returns real DSNs to the VERP sender over LMTP) and Debian's
 * Dovecot (the bounce mailbox, STARTTLS required). Mails are sent through Postfix with the Vert.x
 * mail client and a VERP bounce address, their SENT events written to mail.status as a dispatcher
 * would; then the reader must publish the right follow-ups and suppressions.
 */
@IntegrationTest
class BounceRoundTripTest {
  private static final Duration WAIT = Duration.ofSeconds(40);
  private static final String PASSWORD = "bounce-test-secret";
  private static final String USER = "bounces";
  private static DovecotMailbox dovecot;
  private static PostfixRelay postfix;
  private static KafkaBroker broker;
  private static TokenKeys keys;
  private static Path keysFile;
  @TempDir
  static Path dir;

  @BeforeAll
  static void setUp() throws Exception {
    assumeTrue(PostfixEndToEndTest.asked(), "Postfix/Dovecot round trip not asked for (-D"
        + PostfixEndToEndTest.ASK_PROPERTY + "=true or " + PostfixEndToEndTest.ASK_VARIABLE + "=1)");
    assertTrue(PostfixRelay.available(), "the round trip needs root, and Postfix installed or apt-get");
    postfix = PostfixRelay.setUp(Pipeline.localhost().certPem(), Pipeline.localhost().keyPem(), Pipeline.USER,
        Pipeline.PASSWORD);
    dovecot = DovecotMailbox.setUp(dir.resolve("imap-tls"), PASSWORD);
    broker = KafkaBroker.shared();
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    keysFile = dir.resolve("token-keys");
    Files.writeString(keysFile, "k1 " + Base64.getEncoder().encodeToString(secret) + "\n");
    keys = TokenKeys.parse(Files.readString(keysFile));
  }

  @AfterAll
  static void tearDown() {
    if (dovecot != null) {
      dovecot.clear();
    }
  }

  @Test
  void deadAndPolicyBouncesAComplaintAndAnUnparseableMailEachEndWhereTheyShould() throws Exception {
    String label = UUID.randomUUID().toString().substring(0, 8);
    String status = "bounces-status-" + label;
    String suppressions = "bounces-suppressions-" + label;
    broker.createTopics(2, status, suppressions);
    String dead = messageId();
    String policy = messageId();
    String complained = messageId();
    sent(status, "job-dead", dead);
    sent(status, "job-policy", policy);
    sent(status, "job-complained", complained);

    send("x@dead.postroom.test", dead);
    send("y@policy.postroom.test", policy);
    dovecot.save(USER, "INBOX", arf(complained, "z@example.org"));
    dovecot.save(USER, "INBOX", sample("out-of-office.eml"));

    BounceService reader = new BounceService(BouncesConfig.read(config(status, suppressions), env()),
        Clock.systemUTC());
    try {
      reader.start().get(60, java.util.concurrent.TimeUnit.SECONDS);
      List<StatusEvent> followUps = followUps(status, 3);
      assertThat(followUps).extracting(StatusEvent::id, StatusEvent::state, e -> e.followUp().recipient(),
              e -> e.followUp().kind(), StatusEvent::enhancedCode)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("job-dead", State.BOUNCED, "x@dead.postroom.test", BounceKind.HARD,
                  "5.1.1"),
              org.assertj.core.groups.Tuple.tuple("job-policy", State.BOUNCED, "y@policy.postroom.test",
                  BounceKind.POLICY, "5.7.26"),
              org.assertj.core.groups.Tuple.tuple("job-complained", State.COMPLAINED, "z@example.org",
                  BounceKind.COMPLAINT, null));
      assertThat(broker.readAll(suppressions, 3, Duration.ofSeconds(3)))
          .extracting(r -> Suppression.fromJson(new JsonObject(new String(r.value(), StandardCharsets.UTF_8))))
          .extracting(Suppression::address, Suppression::reason, Suppression::source)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("x@dead.postroom.test", SuppressionReason.HARD_BOUNCE,
                  "bounce:job-dead"),
              org.assertj.core.groups.Tuple.tuple("z@example.org", SuppressionReason.COMPLAINT,
                  "complaint:job-complained"));

      assertTrue(eventually(WAIT, () -> dovecot.count(USER, "INBOX") == 0), () -> "INBOX not emptied:\n"
          + dovecot.logTail(20));
      assertThat(dovecot.count(USER, "Postroom.Processed")).isEqualTo(3);
      assertThat(dovecot.messages(USER, "Postroom.Unparseable")).singleElement().satisfies(aside -> assertThat(aside)
          .startsWith(Mailbox.ASIDE_REASON + ": unparseable: not a delivery status notification")
          .contains("Subject: Out of office: Your statement"));
      double unparseable = reader.registry().get("postroom_bounce_reports_total").tag("outcome", "unparseable")
          .counter().count();
      Thread.sleep(1_500);
      assertThat(reader.registry().get("postroom_bounce_reports_total").tag("outcome", "unparseable").counter().count())
          .as("the aside message is not read again").isEqualTo(unparseable).isEqualTo(1.0);
      assertThat(reader.registry().get("postroom_bounce_policy_failures_total").tag("tenant", "pensions")
          .counter().count()).isEqualTo(1.0);
    } finally {
      reader.stop().get(60, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  /**
   * The whole loop with a real dispatcher: its VERP sender brings Postfix's DSN back to the mailbox,
   * the reader publishes BOUNCED for that job and suppresses the address, and the dispatcher, which
   * follows mail.suppressions, ends the next job to the address SUPPRESSED; a policy rejection of
   * another address suppresses nothing, so mail to it still goes.
   */
  @Test
  void aDispatchersMailToADeadAddressBouncesIsSuppressedAndTheNextJobToItIsNotSent() throws Exception {
    try (Pipeline pipeline = Pipeline.create("bounce-loop")) {
      pipeline.settings.relay("localhost", postfix.whitelistedPort(), Pipeline.USER, Pipeline.PASSWORD,
              Pipeline.localhost().caPem())
          .env("POSTROOM_TOKEN_KEYS_FILE", keysFile.toString())
          .env("POSTROOM_BOUNCE_DOMAIN", DovecotMailbox.BOUNCE_DOMAIN)
          .env("POSTROOM_STATE_DIR", pipeline.dir().resolve("state").toString());
      pipeline.startDispatcher();
      pipeline.publish(List.of(SampleJobs.valid("loop-dead", "pensions", "x@dead.postroom.test"),
          SampleJobs.valid("loop-policy", "pensions", "y@policy.postroom.test")));
      assertThat(pipeline.awaitFinished(2, WAIT).terminalCounts()).containsExactly(Map.entry(State.SENT, 2));

      BounceService reader = new BounceService(BouncesConfig.read(
          config(pipeline.topics.status(), pipeline.topics.suppressions()), env()), Clock.systemUTC());
      try {
        reader.start().get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(followUps(pipeline.topics.status(), 2)).extracting(StatusEvent::id, e -> e.followUp().recipient(),
                e -> e.followUp().kind())
            .containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("loop-dead", "x@dead.postroom.test", BounceKind.HARD),
                org.assertj.core.groups.Tuple.tuple("loop-policy", "y@policy.postroom.test", BounceKind.POLICY));

        // jobs to the dead address until one ends SUPPRESSED: the reader's suppression reached the dispatcher
        int[] tries = {0};
        boolean suppressed = eventually(WAIT, () -> {
          pipeline.publish(List.of(SampleJobs.valid("loop-dead-again-" + tries[0]++, "pensions",
              "x@dead.postroom.test")));
          return pipeline.awaitFinished(2 + tries[0], WAIT).terminalEvents().stream()
              .anyMatch(e -> e.state() == State.SUPPRESSED);
        });
        assertThat(suppressed).as("a job to the bounced address ended SUPPRESSED").isTrue();
        pipeline.publish(List.of(SampleJobs.valid("loop-policy-again", "pensions", "y@policy.postroom.test")));
        Map<String, List<StatusEvent>> outcomes = pipeline.awaitFinished(3 + tries[0], WAIT).terminalById();
        assertThat(outcomes.get("loop-policy-again")).as("a policy rejection suppresses nobody")
            .extracting(StatusEvent::state).containsExactly(State.SENT);
      } finally {
        reader.stop().get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void theMailboxRefusesALoginBeforeStarttls() throws Exception {
    try (Socket socket = new Socket(DovecotMailbox.HOST, DovecotMailbox.IMAP_PORT)) {
      socket.setSoTimeout(5_000);
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      OutputStream out = socket.getOutputStream();
      String greeting = in.readLine();
      out.write(("a LOGIN " + USER + " " + PASSWORD + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer = in.readLine();
      while (answer != null && !answer.startsWith("a ")) {
        // untagged lines first ("* BAD [ALERT] Plaintext authentication not allowed ...")
        answer = in.readLine();
      }

      assertThat(greeting).contains("STARTTLS").contains("LOGINDISABLED");
      assertThat(answer).startsWith("a NO").contains("PRIVACYREQUIRED");
    }
  }

  private static String messageId() {
    return "<" + Long.toString(System.currentTimeMillis(), 36) + "." + Long.toString(
        new SecureRandom().nextLong() >>> 1, 36) + "@pensions.example>";
  }

  /** The SENT event a dispatcher would have written for the job. */
  private static void sent(String topic, String id, String messageId) {
    StatusEvent event = new StatusEvent(id, "pensions", State.SENT, 1, messageId, "postfix", 250, "2.0.0",
        "250 2.0.0 Ok", List.of(), null, null, Instant.now());
    broker.publishAll(List.of(new ProducerRecord<>(topic, null, id, event.toJson().toBuffer().getBytes(),
        new RecordHeaders().add(HeaderNames.STATE, "SENT".getBytes(StandardCharsets.US_ASCII)))));
  }

  private static String verp(String messageId) {
    return BounceToken.address(keys, messageId, DovecotMailbox.BOUNCE_DOMAIN).orElseThrow();
  }

  /** Through the test Postfix with STARTTLS and AUTH, the VERP address as the envelope sender. */
  private static void send(String to, String messageId) {
    Vertx vertx = Vertx.vertx();
    try {
      MailConfig config = new MailConfig().setHostname("localhost").setPort(2525)
          .setStarttls(StartTLSOptions.REQUIRED).setLogin(LoginOption.REQUIRED)
          .setUsername(Pipeline.USER).setPassword(Pipeline.PASSWORD)
          .setTrustOptions(Pipeline.localhost().trustOptions());
      MailClient client = MailClient.create(vertx, config);
      MailMessage mail = new MailMessage().setFrom("Pensions <noreply@pensions.example>").setTo(to)
          .setBounceAddress(verp(messageId)).setSubject("Your statement").setText("Dear citizen, ...");
      mail.setHeaders(io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("Message-ID", messageId));
      Pipeline.await(client.sendMail(mail));
      client.close();
    } finally {
      vertx.close();
    }
  }

  private static byte[] sample(String name) throws Exception {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path file = d.resolve("testkit/reports").resolve(name);
      if (Files.isRegularFile(file)) {
        return Files.readAllBytes(file);
      }
    }
    throw new IllegalStateException("no testkit/reports/" + name);
  }

  /** The ARF sample, about the mail with this Message-ID, from the real VERP sender. */
  private static byte[] arf(String messageId, String complainer) throws Exception {
    String text = new String(sample("arf-abuse.eml"), StandardCharsets.UTF_8)
        .replace("bounces+mj3k2x1f.3d3e3f303132-k1-abcdefghijkl@bounces.pensions.example", verp(messageId))
        .replace("<mj3k2x1f.3d3e3f303132@pensions.example>", messageId)
        .replace("priya@mailbox-provider.example", complainer);
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static JsonObject config(String status, String suppressions) {
    return new JsonObject()
        .put("kafka", new JsonObject().put("bootstrap", broker.bootstrapServers())
            .put("topics", new JsonObject().put("status", status).put("suppressions", suppressions)))
        .put("compliance", new JsonObject().put("tokenKeysFile", keysFile.toString()))
        .put("bounces", new JsonObject().put("pollInterval", "300ms").put("stateDir", dir.resolve("state-" + status)
                .toString())
            .put("http", new JsonObject().put("port", 0))
            .put("imap", new JsonObject().put("host", DovecotMailbox.HOST).put("port", DovecotMailbox.IMAP_PORT)
                .put("tls", "starttls").put("username", USER).put("trustPem", dovecot.caPem().toString())));
  }

  private static Map<String, String> env() {
    return Map.of("POSTROOM_BOUNCES_IMAP_PASSWORD", PASSWORD);
  }

  private static List<StatusEvent> followUps(String topic, int expected) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    List<StatusEvent> followUps = List.of();
    while (System.nanoTime() < deadline && followUps.size() < expected) {
      List<ConsumerRecord<String, byte[]>> records = broker.readAll(topic, 3 + expected, Duration.ofSeconds(2));
      followUps = records.stream()
          .map(r -> StatusEvent.fromJson(new JsonObject(new String(r.value(), StandardCharsets.UTF_8))))
          .filter(e -> e.state().followUp())
          .toList();
    }
    return followUps;
  }
}
