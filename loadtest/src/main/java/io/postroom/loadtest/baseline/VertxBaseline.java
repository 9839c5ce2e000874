package io.postroom.loadtest.baseline;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.StartTLSOptions;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The library ceiling: vertx-mail-client's {@link MailClient} with a pool of {@code connections}
 * kept-alive, pipelining connections (STARTTLS required, TLS 1.2+, the host name verified, AUTH
 * required) and exactly {@code connections} sends in flight, one per connection, as the dispatcher
 * keeps at most its pool size outstanding on its mail client. Every send is started on one
 * event-loop context: no Kafka, nothing else. The warm-up messages go over the same client and pool
 * before the measured window starts.
 */
final class VertxBaseline {
  private static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
  private static final int CONNECT_TIMEOUT_MILLIS = 30_000;
  private static final int READ_TIMEOUT_MILLIS = 60_000;

  private VertxBaseline() {
  }

  /**
   * A brand-new config: vertx-mail-client 5.0.8 turns hostname verification on (HTTPS) when its
   * pool is built from a config whose algorithm is unset, and off for one whose algorithm was set or
   * that another pool already used (see the dispatcher's TransportSecurity), so the algorithm is
   * left alone here and the config is used once.
   */
  static MailConfig config(BaselineOptions options, String password) {
    return new MailConfig()
        .setHostname(options.host())
        .setPort(options.port())
        .setSsl(false)
        .setStarttls(StartTLSOptions.REQUIRED)
        .setTrustAll(false)
        .setTrustOptions(new PemTrustOptions().addCertPath(options.trustPem().toString()))
        .setEnabledSecureTransportProtocols(PROTOCOLS)
        .setLogin(LoginOption.REQUIRED)
        .setUsername(options.username())
        .setPassword(password)
        .setMaxPoolSize(options.connections())
        .setKeepAlive(true)
        .setPipelining(true)
        .setConnectTimeout(CONNECT_TIMEOUT_MILLIS)
        .setSslHandshakeTimeout(CONNECT_TIMEOUT_MILLIS)
        .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
        // the client has no reply timeout: a relay gone silent is cut off (Jakarta: mail.smtp.timeout)
        .setIdleTimeout(READ_TIMEOUT_MILLIS)
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setMultiPartOnly(false);
  }

  static BaselineResult run(BaselineOptions options, String password) {
    Vertx vertx = Vertx.vertx();
    try {
      MailClient client = MailClient.create(vertx, config(options, password));
      Context context = vertx.getOrCreateContext();
      int warmupSent = 0;
      if (options.warmup() > 0) {
        Recorder warmup = new Recorder(options, password, 0, options.warmup());
        send(context, client, warmup, options);
        if (warmup.result().failed() > 0) {
          return warmup.result();
        }
        warmupSent = warmup.sentSoFar();
      }
      Recorder recorder = new Recorder(options, password);
      recorder.warmedUpWith(warmupSent);
      send(context, client, recorder, options);
      BaselineResult result = recorder.result();
      // the relay may already have closed a pooled connection (a 421, a 451 then close): QUIT on it
      // fails, and that is no reason to lose what was measured
      client.close().otherwiseEmpty().await();
      return result;
    } finally {
      vertx.close().await();
    }
  }

  /** Sends the recorder's messages and waits until the last has its outcome. */
  private static void send(Context context, MailClient client, Recorder recorder, BaselineOptions options) {
    Promise<Void> done = Promise.promise();
    recorder.start();
    context.runOnContext(v -> new Sender(client, recorder, options, done).start());
    done.future().await();
  }

  /** Keeps {@code connections} sends in flight, one per pooled connection; runs on one context only. */
  private static final class Sender {
    private final MailClient client;
    private final Recorder recorder;
    private final BaselineOptions options;
    private final Promise<Void> done;
    private final int maxInFlight;
    private int inFlight;
    private boolean exhausted;

    Sender(MailClient client, Recorder recorder, BaselineOptions options, Promise<Void> done) {
      this.client = client;
      this.recorder = recorder;
      this.options = options;
      this.done = done;
      this.maxInFlight = options.connections();
    }

    void start() {
      fill();
    }

    private void fill() {
      while (!exhausted && inFlight < maxInFlight) {
        int i = recorder.next();
        if (i < 0) {
          exhausted = true;
          break;
        }
        send(i);
      }
      if (exhausted && inFlight == 0) {
        done.tryComplete();
      }
    }

    private void send(int i) {
      inFlight++;
      var message = new BenchMessage(options.runId(), i, options.size()).mailMessage();
      long handed = System.nanoTime();
      client.sendMail(message).onComplete(result -> {
        inFlight--;
        if (result.succeeded()) {
          recorder.sent(i, handed);
        } else {
          recorder.failed(i, result.cause());
        }
        fill();
      });
    }
  }
}
