package io.postroom.loadtest.relay;

import io.postroom.loadtest.load.CommandLine;
import io.postroom.testkit.Certificates;
import io.postroom.testkit.SmtpRelay;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/postroom relay-sim}: a fast SMTP relay to point dispatchers at in load tests. It is the
 * testkit's {@link SmtpRelay} (STARTTLS required before AUTH PLAIN/LOGIN, TLS 1.2+, PIPELINING, SIZE,
 * 8BITMIME) keeping counts and distinct Message-IDs instead of messages, with faults switched on by
 * option, and its counts on {@code GET /stats} ({@code POST /reset} zeroes them).
 */
public final class RelaySimulator {
  static final Set<String> OPTIONS = Set.of("--host", "--port", "--http-port", "--dir", "--user", "--password",
      "--max-size", "--fail-451", "--fail-421", "--reject-recipients", "--latency", "--refuse-after", "--refuse-for");
  static final Set<String> FLAGS = Set.of("--implicit-tls", "--no-starttls", "--help");

  private final Vertx vertx;
  private final SmtpRelay relay;
  private final Path dir;
  private final String user;
  private HttpServer http;

  private RelaySimulator(Vertx vertx, SmtpRelay relay, Path dir, String user) {
    this.vertx = vertx;
    this.relay = relay;
    this.dir = dir;
    this.user = user;
  }

  public static void main(String[] args) throws InterruptedException {
    CommandLine line;
    try {
      line = CommandLine.parse(Arrays.asList(args), OPTIONS, FLAGS);
    } catch (IllegalArgumentException e) {
      System.err.println("postroom relay-sim: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (line.flag("--help")) {
      System.out.println(usage());
      return;
    }
    Vertx vertx = Vertx.vertx();
    RelaySimulator simulator;
    try {
      simulator = start(vertx, line).await();
    } catch (IllegalArgumentException e) {
      System.err.println("postroom relay-sim: " + e.getMessage());
      vertx.close();
      System.exit(2);
      return;
    } catch (Exception e) {
      System.err.println("postroom relay-sim: cannot start: " + e.getMessage());
      vertx.close();
      System.exit(1);
      return;
    }
    System.out.println(simulator.describe());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      vertx.close().toCompletionStage().toCompletableFuture().join();
      stopped.countDown();
    }));
    stopped.await();
  }

  /** Starts a simulator as {@code line} describes; its files (certificates, password) go to {@code --dir}. */
  public static Future<RelaySimulator> start(Vertx vertx, CommandLine line) {
    Path dir = Path.of(line.text("--dir", "relay-sim"));
    String user = line.text("--user", "postroom");
    String password = line.text("--password", "relay-sim-password");
    SmtpRelay.Options.Builder options = SmtpRelay.Options.builder()
        .host(line.text("--host", "127.0.0.1"))
        .port((int) line.number("--port", 2525, 0, 65535))
        .hostname("localhost")
        .keepMessages(false)
        .user(user, password)
        .implicitTls(line.flag("--implicit-tls"))
        .advertiseStartTls(!line.flag("--no-starttls") && !line.flag("--implicit-tls"))
        .maxSize(line.number("--max-size", 10L * 1024 * 1024, 0, Long.MAX_VALUE))
        .transientFraction(line.fraction("--fail-451", 0))
        .disconnectFraction(line.fraction("--fail-421", 0))
        .refuseConnections(line.duration("--refuse-after", Duration.ZERO), line.duration("--refuse-for", Duration.ZERO));
    String rejected = line.text("--reject-recipients", null);
    if (rejected != null) {
      options.rejectRecipients(rejected, "550 5.1.1 <{address}>: Recipient address rejected: User unknown");
    }
    for (String latency : line.all("--latency")) {
      int equals = latency.indexOf('=');
      if (equals < 0) {
        options.latency(CommandLine.duration("--latency", latency, Duration.ZERO));
      } else {
        options.latency(latency.substring(0, equals).toUpperCase(Locale.ROOT),
            CommandLine.duration("--latency", latency.substring(equals + 1), Duration.ZERO));
      }
    }
    int httpPort = (int) line.number("--http-port", 2580, 0, 65535);
    return vertx.executeBlocking(() -> {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("password"), password + "\n");
      Files.setPosixFilePermissions(dir.resolve("password"), PosixFilePermissions.fromString("rw-------"));
      return Certificates.create(dir, "localhost", "127.0.0.1");
    }).compose(certificates -> {
      SmtpRelay relay = new SmtpRelay(options.certificates(certificates).build());
      RelaySimulator simulator = new RelaySimulator(vertx, relay, dir, user);
      return relay.start(vertx).compose(started -> simulator.serveStats(httpPort)).map(simulator);
    });
  }

  private Future<HttpServer> serveStats(int port) {
    return vertx.createHttpServer().requestHandler(request -> {
      if (request.path().equals("/stats") && request.method() == HttpMethod.GET) {
        request.response().putHeader("content-type", "application/json").end(stats().encode());
      } else if (request.path().equals("/reset") && request.method() == HttpMethod.POST) {
        relay.reset();
        request.response().setStatusCode(204).end();
      } else {
        request.response().setStatusCode(404).end("GET /stats or POST /reset\n");
      }
    }).listen(port, relay.options().host()).onSuccess(server -> http = server);
  }

  /** The counts since the start or the last reset, and this process's CPU time. */
  public JsonObject stats() {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return new JsonObject()
        .put("accepted", relay.count())
        .put("distinctMessageIds", relay.distinctMessageIdCount())
        .put("duplicates", relay.duplicateMessageIds())
        .put("connections", relay.connections())
        .put("openConnections", relay.openConnections())
        .put("peakOpenConnections", relay.peakOpenConnections())
        .put("refusedConnections", relay.refusedConnections())
        .put("transientReplies", relay.transientReplies())
        .put("disconnects", relay.disconnects())
        .put("cpuSeconds", os.getProcessCpuTime() / 1e9);
  }

  public SmtpRelay relay() {
    return relay;
  }

  public int statsPort() {
    return http.actualPort();
  }

  /** The CA certificate clients must trust. */
  public Path trustPem() {
    return dir.resolve("ca.pem");
  }

  public Path passwordFile() {
    return dir.resolve("password");
  }

  public String user() {
    return user;
  }

  public Future<Void> close() {
    return (http == null ? Future.<Void>succeededFuture() : http.close()).compose(v -> relay.close());
  }

  String describe() {
    SmtpRelay.Options options = relay.options();
    String tls = options.implicitTls() ? "implicit TLS" : options.advertiseStartTls() ? "STARTTLS required" : "NO STARTTLS offered";
    return String.join("\n", List.of(
        "relay-sim: SMTP on " + options.host() + ":" + relay.port() + " (" + tls + ", AUTH PLAIN/LOGIN as " + user
            + ", TLS 1.2/1.3, SIZE " + options.maxSize() + ")",
        "relay-sim: trust " + trustPem().toAbsolutePath() + ", password in " + passwordFile().toAbsolutePath(),
        "relay-sim: faults: 451 " + options.transientFraction() + ", 421 " + options.disconnectFraction()
            + ", rejected recipients " + options.recipientRules().size() + ", latency " + options.latency()
            + " " + options.commandLatency() + ", refusing " + options.refuseFor() + " after " + options.refuseAfter(),
        "relay-sim: counts on http://" + options.host() + ":" + statsPort() + "/stats (POST /reset zeroes them); Ctrl-C stops"));
  }

  static String usage() {
    return """
        usage: bin/postroom relay-sim [options]
          --host ADDRESS          listen address (127.0.0.1)
          --port N                SMTP port (2525; 0 picks a free one)
          --http-port N           port of GET /stats and POST /reset (2580)
          --dir DIR               where the certificates and the password file go (./relay-sim)
          --user NAME --password SECRET   the AUTH account (postroom / relay-sim-password)
          --implicit-tls          TLS from the first byte, as on port 465
          --no-starttls           a misconfigured relay that does not offer STARTTLS
          --max-size BYTES        the SIZE limit (10 MiB)
          --fail-451 FRACTION     answer this fraction of MAIL FROMs with 451 4.3.0
          --fail-421 FRACTION     answer this fraction of MAIL FROMs with 421 and close
          --reject-recipients REGEX   answer RCPT TO of matching addresses with 550 5.1.1
          --latency DURATION | --latency VERB=DURATION   delay replies (VERB '.' is the end of data)
          --refuse-after DURATION --refuse-for DURATION   close every connection in that window""";
  }
}
