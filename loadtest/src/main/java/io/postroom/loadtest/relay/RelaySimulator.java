package io.postroom.loadtest.relay;

import io.postroom.contract.cli.Cli;
import io.postroom.contract.cli.OptionValues;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bin/postroom relay-sim}: a fast SMTP relay to point dispatchers at in load tests. It is the
 * testkit's {@link SmtpRelay} (STARTTLS required before AUTH PLAIN/LOGIN, TLS 1.2+, PIPELINING, SIZE,
 * 8BITMIME) keeping counts and distinct Message-IDs instead of messages, with faults switched on by
 * option, and its counts on {@code GET /stats} ({@code POST /reset} zeroes them).
 */
public final class RelaySimulator {
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

  public static void main(String[] args) {
    Cli.exit(new Options(), args);
  }

  /** The options of {@code bin/postroom relay-sim}, and the command that runs a simulator until Ctrl-C. */
  @Command(name = "bin/postroom relay-sim",
      sortOptions = false,
      description = {"A fast SMTP relay for load tests: STARTTLS required before AUTH PLAIN/LOGIN, TLS 1.2+,",
          "PIPELINING, SIZE, 8BITMIME; counts messages and distinct Message-IDs instead of keeping them (GET",
          "/stats, POST /reset), with faults by option. Point a dispatcher at it with",
          "POSTROOM_RELAY_TRUST_PEM=<dir>/ca.pem, user postroom, POSTROOM_RELAY_PASSWORD_FILE=<dir>/password.", ""},
      footer = {"", "Exit codes: 0 stopped by Ctrl-C; 1 could not start (a port in use, say); 2 a bad option."})
  public static final class Options implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "listen address (${DEFAULT-VALUE})")
    private String host = "127.0.0.1";

    @Option(names = "--port", paramLabel = "N", description = "SMTP port; 0 picks a free one (${DEFAULT-VALUE})")
    private long port = 2525;

    @Option(names = "--http-port", paramLabel = "N", description = "port of GET /stats and POST /reset (${DEFAULT-VALUE})")
    private long httpPort = 2580;

    @Option(names = "--dir", paramLabel = "DIR", description = "where the certificates and the password file go"
        + " (./${DEFAULT-VALUE})")
    private Path dir = Path.of("relay-sim");

    @Option(names = "--user", paramLabel = "NAME", description = "the AUTH user (${DEFAULT-VALUE})")
    private String user = "postroom";

    @Option(names = "--password", paramLabel = "SECRET", description = "the AUTH password (${DEFAULT-VALUE})")
    private String password = "relay-sim-password";

    @Option(names = "--implicit-tls", description = "TLS from the first byte, as on port 465")
    private boolean implicitTls;

    @Option(names = "--no-starttls", description = "a misconfigured relay that does not offer STARTTLS")
    private boolean noStartTls;

    @Option(names = "--max-size", paramLabel = "BYTES", description = "the SIZE limit (${DEFAULT-VALUE}: 10 MiB)")
    private long maxSize = 10L * 1024 * 1024;

    @Option(names = "--fail-451", paramLabel = "FRACTION", defaultValue = "0", description = "answer this fraction of MAIL FROMs with"
        + " 451 4.3.0 (${DEFAULT-VALUE})")
    private double fail451;

    @Option(names = "--fail-421", paramLabel = "FRACTION", defaultValue = "0", description = "answer this fraction of MAIL FROMs with"
        + " 421 and close (${DEFAULT-VALUE})")
    private double fail421;

    @Option(names = "--reject-recipients", paramLabel = "REGEX", description = "answer RCPT TO of matching addresses"
        + " with 550 5.1.1")
    private String rejectRecipients;

    @Option(names = "--latency", paramLabel = "DURATION|VERB=DURATION", description = "delay replies, all or one"
        + " verb's ('.' is the end of data); repeatable")
    private List<String> latency = new ArrayList<>();

    @Option(names = "--refuse-after", paramLabel = "DURATION", description = "with --refuse-for: close every"
        + " connection in that window after the start")
    private Duration refuseAfter = Duration.ZERO;

    @Option(names = "--refuse-for", paramLabel = "DURATION", description = "how long the refusal window lasts")
    private Duration refuseFor = Duration.ZERO;

    /** The relay the options describe, without its certificates; a value out of its range is refused. */
    SmtpRelay.Options.Builder relay() {
      SmtpRelay.Options.Builder options = SmtpRelay.Options.builder()
          .host(host)
          .port((int) OptionValues.range(spec, "--port", port, 0, 65535))
          .hostname("localhost")
          .keepMessages(false)
          .user(user, password)
          .implicitTls(implicitTls)
          .advertiseStartTls(!noStartTls && !implicitTls)
          .maxSize(OptionValues.range(spec, "--max-size", maxSize, 0, Long.MAX_VALUE))
          .transientFraction(OptionValues.range(spec, "--fail-451", fail451, 0, 1))
          .disconnectFraction(OptionValues.range(spec, "--fail-421", fail421, 0, 1 - fail451))
          .refuseConnections(refuseAfter, refuseFor);
      if (rejectRecipients != null) {
        options.rejectRecipients(rejectRecipients, "550 5.1.1 <{address}>: Recipient address rejected: User unknown");
      }
      for (String value : latency) {
        int equals = value.indexOf('=');
        if (equals < 0) {
          options.latency(OptionValues.duration(spec, "--latency", value));
        } else {
          options.latency(value.substring(0, equals).toUpperCase(Locale.ROOT),
              OptionValues.duration(spec, "--latency", value.substring(equals + 1)));
        }
      }
      return options;
    }

    int httpPort() {
      return (int) OptionValues.range(spec, "--http-port", httpPort, 0, 65535);
    }

    @Override
    public Integer call() throws InterruptedException {
      SmtpRelay.Options.Builder relay = relay();
      int statsPort = httpPort();
      Vertx vertx = Vertx.vertx();
      RelaySimulator simulator;
      try {
        simulator = start(vertx, relay, statsPort, dir, user, password).await();
      } catch (Exception e) {
        System.err.println("postroom relay-sim: cannot start: " + e.getMessage());
        vertx.close();
        return Cli.FAILED;
      }
      System.out.println(simulator.describe());
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        vertx.close().toCompletionStage().toCompletableFuture().join();
        stopped.countDown();
      }));
      stopped.await();
      return Cli.OK;
    }
  }

  /** Starts a simulator as {@code options} describe; its files (certificates, password) go to {@code --dir}. */
  public static Future<RelaySimulator> start(Vertx vertx, Options options) {
    return start(vertx, options.relay(), options.httpPort(), options.dir, options.user, options.password);
  }

  private static Future<RelaySimulator> start(Vertx vertx, SmtpRelay.Options.Builder options, int httpPort, Path dir,
      String user, String password) {
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
}
