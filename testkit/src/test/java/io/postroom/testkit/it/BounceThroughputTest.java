package io.postroom.testkit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.postroom.bounces.BounceService;
import io.postroom.bounces.config.BouncesConfig;
import io.postroom.contract.State;
import io.postroom.contract.StatusEvent;
import io.postroom.contract.compliance.BounceToken;
import io.postroom.contract.compliance.TokenKeys;
import io.postroom.contract.kafka.HeaderNames;
import io.postroom.testkit.DovecotMailbox;
import io.postroom.testkit.IntegrationTest;
import io.postroom.testkit.KafkaBroker;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How many reports a second the bounce reader gets through (docs/bounces.md, Throughput): N real
 * Postfix-style DSNs in the Dovecot mailbox, their N SENT events on mail.status, one reader. A
 * measurement, not a check: runs only with {@code -Dpostroom.bounces.throughput=N} (and as root).
 */
@IntegrationTest
class BounceThroughputTest {
  private static final String PASSWORD = "bounce-test-secret";
  private static final String USER = "bench";
  @TempDir
  Path dir;

  @Test
  void readsThousandsOfDsns() throws Exception {
    int n = Integer.getInteger("postroom.bounces.throughput", 0);
    assumeTrue(n > 0, "a measurement: -Dpostroom.bounces.throughput=N");
    DovecotMailbox dovecot = DovecotMailbox.setUp(dir.resolve("tls"), PASSWORD);
    KafkaBroker broker = KafkaBroker.shared();
    broker.createTopics(3, "tp-status", "tp-suppressions");
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    Path keysFile = dir.resolve("keys");
    Files.writeString(keysFile, "k1 " + Base64.getEncoder().encodeToString(secret));
    TokenKeys keys = TokenKeys.parse(Files.readString(keysFile));
    String sample = new String(Files.readAllBytes(Path.of("reports/postfix-5.1.1.eml")), StandardCharsets.UTF_8);

    List<ProducerRecord<String, byte[]>> sent = new ArrayList<>();
    String base = Long.toString(System.currentTimeMillis(), 36);
    for (int i = 0; i < n; i++) {
      String messageId = "<" + base + "." + Long.toString(1_000_000L + i, 36) + "@pensions.example>";
      StatusEvent event = new StatusEvent("job-" + i, "pensions", State.SENT, 1, messageId, "postfix", 250, "2.0.0",
          "250 ok", List.of(), null, null, Instant.now());
      sent.add(new ProducerRecord<>("tp-status", null, event.id(), event.toJson().toBuffer().getBytes(),
          new RecordHeaders().add(HeaderNames.STATE, "SENT".getBytes(StandardCharsets.US_ASCII))));
      String dsn = "Delivered-To: " + BounceToken.address(keys, messageId, DovecotMailbox.BOUNCE_DOMAIN).orElseThrow()
          + "\n" + sample.replace("<20261202150211.5A1B2C3D4F@relay.postroom.test>", "<dsn-" + i + "@relay.postroom.test>")
              .replace("x@dead.postroom.test", "citizen" + i + "@dead.postroom.test");
      if (i == 0) {
        dovecot.save(USER, "INBOX", dsn.getBytes(StandardCharsets.UTF_8));
      } else {
        Files.writeString(Path.of("/var/lib/postroom-bounces", USER, "Maildir/new", "bench-" + i + ".eml"), dsn);
      }
    }
    new ProcessBuilder("chown", "-R", "postroom-bounces:postroom-bounces", "/var/lib/postroom-bounces/" + USER)
        .inheritIO().start().waitFor();
    broker.publishAll(sent);
    assertThat(dovecot.count(USER, "INBOX")).isEqualTo(n);

    JsonObject config = new JsonObject()
        .put("kafka", new JsonObject().put("bootstrap", broker.bootstrapServers())
            .put("topics", new JsonObject().put("status", "tp-status").put("suppressions", "tp-suppressions")))
        .put("compliance", new JsonObject().put("tokenKeysFile", keysFile.toString()))
        .put("bounces", new JsonObject().put("pollInterval", "100ms").put("stateDir", dir.resolve("state").toString())
            .put("http", new JsonObject().put("port", 0))
            .put("imap", new JsonObject().put("host", DovecotMailbox.HOST).put("port", DovecotMailbox.IMAP_PORT)
                .put("username", USER).put("trustPem", dovecot.caPem().toString())));
    BounceService reader = new BounceService(BouncesConfig.read(config,
        Map.of("POSTROOM_BOUNCES_IMAP_PASSWORD", PASSWORD)), Clock.systemUTC());
    long start = System.nanoTime();
    reader.start().get(60, TimeUnit.SECONDS);
    long firstReport = 0;
    while (count(reader) < n && System.nanoTime() - start < Duration.ofMinutes(10).toNanos()) {
      if (firstReport == 0 && count(reader) > 0) {
        firstReport = System.nanoTime();
      }
      Thread.sleep(20);
    }
    long end = System.nanoTime();
    reader.stop().get(60, TimeUnit.SECONDS);
    double seconds = (end - firstReport) / 1e9;
    System.out.printf("BOUNCE THROUGHPUT: %d reports in %.1f s from the first to the last = %.0f reports/s "
        + "(%.1f s from the start, sent index catch-up included)%n", n, seconds, n / seconds, (end - start) / 1e9);
    assertThat(count(reader)).isEqualTo(n);
    dovecot.clear();
  }

  private static double count(BounceService reader) {
    var counter = reader.registry().find("postroom_bounce_reports_total").tag("outcome", "bounce").counter();
    return counter == null ? 0 : counter.count();
  }
}
