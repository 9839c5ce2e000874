package io.postroom.loadtest.bench;

import io.postroom.loadtest.relay.RelaySimulator;
import io.postroom.testkit.Certificates;
import io.postroom.testkit.ChildProcess;
import io.postroom.testkit.PostfixRelay;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The SMTP relay every sender of a run sends to: the relay simulator in its own JVM, or the real
 * Postfix. Both require STARTTLS and AUTH; the senders trust {@link #trustPem()}.
 */
abstract class Sink implements AutoCloseable {

  /** What the sink took since the last {@link #reset()}; {@code cpuSeconds} is NaN where unknown. */
  record Count(long accepted, long distinct, long duplicates, double cpuSeconds) {
  }

  static final String USER = "postroom";

  abstract String name();

  abstract String host();

  abstract int port();

  abstract Path passwordFile();

  abstract Path trustPem();

  abstract void reset();

  abstract Count count();

  String password() {
    try {
      return Files.readString(passwordFile()).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public abstract void close();

  /** Starts {@code bin/postroom relay-sim} in a JVM of its own, so its CPU is not the dispatcher's. */
  static Sink relaySimulator(Path dir) {
    try {
      Files.createDirectories(dir);
      int smtpPort = freePort();
      int httpPort = freePort();
      ChildProcess process = ChildProcess.start(ChildProcess.java(List.of("-Xmx1g", "-XX:+UseParallelGC"),
          RelaySimulator.class.getName(), List.of("--port", Integer.toString(smtpPort), "--http-port",
              Integer.toString(httpPort), "--dir", dir.toString())), dir, dir.resolve("relay-sim.log"));
      RelaySimSink sink = new RelaySimSink(process, dir, smtpPort, URI.create("http://127.0.0.1:" + httpPort));
      sink.awaitUp(Duration.ofSeconds(30));
      return sink;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Configures and starts Debian's Postfix (root only) with a certificate and user of this run. */
  static Sink postfix(Path dir) {
    if (!PostfixRelay.available()) {
      throw new IllegalStateException("--postfix: needs root and Postfix (apt-get install postfix), or apt-get to install it");
    }
    try {
      Files.createDirectories(dir);
      Certificates certificates = Certificates.create(dir, "localhost", "127.0.0.1");
      Path passwordFile = Files.writeString(dir.resolve("password"), "postfix-bench-password\n");
      PostfixRelay postfix = PostfixRelay.setUp(certificates.certPem(), certificates.keyPem(), USER, "postfix-bench-password");
      return new PostfixSink(postfix, certificates.caPem(), passwordFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static final class RelaySimSink extends Sink {
    private final ChildProcess process;
    private final Path dir;
    private final int port;
    private final URI stats;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();

    RelaySimSink(ChildProcess process, Path dir, int port, URI stats) {
      this.process = process;
      this.dir = dir;
      this.port = port;
      this.stats = stats;
    }

    void awaitUp(Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException("relay-sim exited: " + log());
        }
        try {
          count();
          return;
        } catch (RuntimeException notYet) {
          sleep(100);
        }
      }
      throw new IllegalStateException("relay-sim not up after " + timeout + ": " + log());
    }

    @Override
    String name() {
      return "relay-sim";
    }

    @Override
    String host() {
      return "localhost";
    }

    @Override
    int port() {
      return port;
    }

    @Override
    Path passwordFile() {
      return dir.resolve("password");
    }

    @Override
    Path trustPem() {
      return dir.resolve("ca.pem");
    }

    @Override
    void reset() {
      send(HttpRequest.newBuilder(stats.resolve("/reset")).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    @Override
    Count count() {
      JsonObject counts = new JsonObject(send(HttpRequest.newBuilder(stats.resolve("/stats")).build()));
      return new Count(counts.getLong("accepted"), counts.getLong("distinctMessageIds"), counts.getLong("duplicates"),
          counts.getDouble("cpuSeconds"));
    }

    private String send(HttpRequest request) {
      try {
        return http.send(HttpRequest.newBuilder(request, (name, value) -> true).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    private String log() {
      try {
        return Files.readString(dir.resolve("relay-sim.log"));
      } catch (IOException e) {
        return e.getMessage();
      }
    }

    @Override
    public void close() {
      process.stop(Duration.ofSeconds(10));
    }
  }

  private static final class PostfixSink extends Sink {
    private final PostfixRelay postfix;
    private final Path trustPem;
    private final Path passwordFile;

    PostfixSink(PostfixRelay postfix, Path trustPem, Path passwordFile) {
      this.postfix = postfix;
      this.trustPem = trustPem;
      this.passwordFile = passwordFile;
    }

    @Override
    String name() {
      return "Postfix";
    }

    @Override
    String host() {
      return postfix.host();
    }

    @Override
    int port() {
      return postfix.whitelistedPort();
    }

    @Override
    Path passwordFile() {
      return passwordFile;
    }

    @Override
    Path trustPem() {
      return trustPem;
    }

    @Override
    void reset() {
      postfix.clear();
    }

    /** Postfix delivers to its maildir a moment after its 250: waits up to a minute for it to settle. */
    @Override
    Count count() {
      int delivered = postfix.deliveredCount();
      for (int i = 0; i < 60; i++) {
        sleep(1000);
        int now = postfix.deliveredCount();
        if (now == delivered) {
          break;
        }
        delivered = now;
      }
      long distinct = postfix.deliveredMessageIds().stream().distinct().count();
      return new Count(delivered, distinct, delivered - distinct, Double.NaN);
    }

    @Override
    public void close() {
      // Postfix stays installed and running, as the end-to-end tests leave it
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
