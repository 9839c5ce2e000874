package io.postroom.testkit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * An SMTP relay like the ones governments run: STARTTLS (TLS 1.2 and 1.3 only) before anything
 * else, AUTH PLAIN and LOGIN only over TLS, PIPELINING, SIZE, 8BITMIME and ENHANCEDSTATUSCODES.
 * Misbehaviour — no STARTTLS, a rejected greeting, unknown recipients, transient failures, a
 * relay that never answers the final dot, slow replies — is switched on in {@link Options}.
 *
 * <p>It records what tests assert on: the messages received, every client command with whether it
 * came before TLS, and connection counts. All accessors are thread-safe and return snapshots. The
 * dialogue itself is in {@link SmtpSession}.
 */
public final class SmtpRelay {

  /** A command line a client sent. AUTH arguments are masked. */
  public record Command(int session, String line, boolean tls) {

    /** The command word in upper case: EHLO, MAIL, AUTH, ... */
    public String verb() {
      return SmtpSession.verbOf(line);
    }
  }

  /**
   * Answers RCPT TO for the addresses {@code matches} accepts with {@code reply}, in which
   * {@code {address}} stands for the address: {@code 550 5.1.1 <{address}> User unknown}.
   */
  public record RecipientRule(Predicate<String> matches, String reply) {

    public RecipientRule {
      Objects.requireNonNull(matches, "matches");
      if (reply == null || !reply.matches("[2-5]\\d\\d( .*)?")) {
        throw new IllegalArgumentException(
            "recipient rule reply: an SMTP reply such as '550 5.1.1 <{address}> User unknown', got " + reply);
      }
    }

    String replyTo(String address) {
      return reply.replace("{address}", address);
    }
  }

  /**
   * How the relay behaves. Build with {@link #builder()}; the defaults are a well-run relay.
   *
   * @param latency the delay before each command is answered
   * @param commandLatency delays for single commands, by verb; {@code "."} is the end of message
   *     data and {@code "CONNECT"} the greeting. Overrides {@code latency}
   */
  public record Options(
      String host,
      int port,
      String hostname,
      boolean implicitTls,
      boolean advertiseStartTls,
      boolean requireTls,
      boolean offerAuthInClear,
      Map<String, String> users,
      boolean requireAuth,
      Certificates certificates,
      long maxSize,
      String greetingReject,
      List<RecipientRule> recipientRules,
      int transientMailFromFailures,
      boolean neverAnswerDot,
      boolean dropAfterData,
      Duration latency,
      Map<String, Duration> commandLatency,
      boolean keepMessages,
      double transientFraction,
      double disconnectFraction,
      Duration refuseAfter,
      Duration refuseFor) {

    public static Builder builder() {
      return new Builder();
    }

    /** The delay before answering {@code verb}. */
    public Duration latency(String verb) {
      return commandLatency.getOrDefault(verb, latency);
    }

    public static final class Builder {
      private String host = "127.0.0.1";
      private int port;
      private String hostname = "localhost";
      private boolean implicitTls;
      private boolean advertiseStartTls = true;
      private boolean requireTls = true;
      private boolean offerAuthInClear;
      private final Map<String, String> users = new LinkedHashMap<>();
      private Boolean requireAuth;
      private Certificates certificates;
      private long maxSize = 10 * 1024 * 1024;
      private String greetingReject;
      private final List<RecipientRule> recipientRules = new ArrayList<>();
      private int transientMailFromFailures;
      private boolean neverAnswerDot;
      private boolean dropAfterData;
      private Duration latency = Duration.ZERO;
      private final Map<String, Duration> commandLatency = new LinkedHashMap<>();
      private boolean keepMessages = true;
      private double transientFraction;
      private double disconnectFraction;
      private Duration refuseAfter = Duration.ZERO;
      private Duration refuseFor = Duration.ZERO;

      private Builder() {
      }

      /** The address to listen on; 127.0.0.1 unless told. */
      public Builder host(String host) {
        this.host = host;
        return this;
      }

      /** The port to listen on; 0, the default, picks a free one. */
      public Builder port(int port) {
        this.port = port;
        return this;
      }

      /** The name the relay gives itself in its greeting and EHLO reply. */
      public Builder hostname(String hostname) {
        this.hostname = hostname;
        return this;
      }

      /** TLS from the first byte, as on port 465; STARTTLS is then not offered. */
      public Builder implicitTls(boolean implicitTls) {
        this.implicitTls = implicitTls;
        return this;
      }

      /** Whether EHLO offers STARTTLS (default true); false is a relay that forgot it. */
      public Builder advertiseStartTls(boolean advertiseStartTls) {
        this.advertiseStartTls = advertiseStartTls;
        return this;
      }

      /** Whether MAIL before TLS is refused with 530 (default true). */
      public Builder requireTls(boolean requireTls) {
        this.requireTls = requireTls;
        return this;
      }

      /** A careless relay that offers and accepts AUTH without TLS (default false). */
      public Builder offerAuthInClear(boolean offerAuthInClear) {
        this.offerAuthInClear = offerAuthInClear;
        return this;
      }

      /** Adds a user for AUTH PLAIN and LOGIN. */
      public Builder user(String username, String password) {
        users.put(username, password);
        return this;
      }

      /** Whether MAIL needs AUTH first; by default, when there are users. */
      public Builder requireAuth(boolean requireAuth) {
        this.requireAuth = requireAuth;
        return this;
      }

      /** The server certificate; needed unless the relay offers no TLS at all. */
      public Builder certificates(Certificates certificates) {
        this.certificates = certificates;
        return this;
      }

      /** The SIZE limit in bytes (default 10 MiB); larger messages get 552. 0 means no limit. */
      public Builder maxSize(long maxSize) {
        this.maxSize = maxSize;
        return this;
      }

      /** Greets every client with this reply, e.g. {@code 554 5.7.1 <client> rejected: not whitelisted}, then closes. */
      public Builder greetingReject(String reply) {
        this.greetingReject = reply;
        return this;
      }

      /** Answers RCPT TO for addresses matching {@code regex} (the whole address) with {@code reply}. */
      public Builder rejectRecipients(String regex, String reply) {
        Pattern pattern = Pattern.compile(regex);
        return recipientRule(new RecipientRule(address -> pattern.matcher(address).matches(), reply));
      }

      /** Adds a recipient rule; the first matching rule answers. */
      public Builder recipientRule(RecipientRule rule) {
        recipientRules.add(rule);
        return this;
      }

      /** Answers the first {@code count} valid MAIL FROMs (over all sessions) with {@code 451 4.3.0 Try again later}. */
      public Builder transientMailFromFailures(int count) {
        this.transientMailFromFailures = count;
        return this;
      }

      /** Takes the message after DATA but never answers the final dot: the client must time out. */
      public Builder neverAnswerDot(boolean neverAnswerDot) {
        this.neverAnswerDot = neverAnswerDot;
        return this;
      }

      /** Takes the message after DATA, then closes the connection without answering. */
      public Builder dropAfterData(boolean dropAfterData) {
        this.dropAfterData = dropAfterData;
        return this;
      }

      /** Waits this long before answering any command. */
      public Builder latency(Duration latency) {
        this.latency = latency;
        return this;
      }

      /** Waits this long before answering {@code verb}; {@code "."} is the end of message data, {@code "CONNECT"} the greeting. */
      public Builder latency(String verb, Duration latency) {
        commandLatency.put(verb.toUpperCase(Locale.ROOT), latency);
        return this;
      }

      /**
       * Whether to keep every message and command (default true). A load test turns it off: the
       * relay then keeps counts and the distinct Message-IDs only, and costs little per message.
       */
      public Builder keepMessages(boolean keepMessages) {
        this.keepMessages = keepMessages;
        return this;
      }

      /** Answers this fraction (0 to 1) of valid MAIL FROMs, at random, with {@code 451 4.3.0 Try again later}. */
      public Builder transientFraction(double fraction) {
        this.transientFraction = fraction;
        return this;
      }

      /** Answers this fraction (0 to 1) of valid MAIL FROMs, at random, with {@code 421} and closes the connection. */
      public Builder disconnectFraction(double fraction) {
        this.disconnectFraction = fraction;
        return this;
      }

      /** Closes every connection accepted from {@code after} the start for {@code duration}: a relay that is down. */
      public Builder refuseConnections(Duration after, Duration duration) {
        this.refuseAfter = after;
        this.refuseFor = duration;
        return this;
      }

      public Options build() {
        boolean authRequired = requireAuth != null ? requireAuth : !users.isEmpty();
        if ((implicitTls || advertiseStartTls) && certificates == null) {
          throw new IllegalArgumentException("certificates: required when implicitTls or advertiseStartTls is on;"
              + " create them with Certificates.create(dir, \"localhost\", \"127.0.0.1\")");
        }
        if (authRequired && users.isEmpty()) {
          throw new IllegalArgumentException("requireAuth: needs at least one user");
        }
        if (port < 0 || port > 65535) {
          throw new IllegalArgumentException("port: 0 (a free port) to 65535, got " + port);
        }
        if (maxSize < 0) {
          throw new IllegalArgumentException("maxSize: 0 (no limit) or more bytes, got " + maxSize);
        }
        if (transientMailFromFailures < 0) {
          throw new IllegalArgumentException("transientMailFromFailures: 0 or more, got " + transientMailFromFailures);
        }
        if (greetingReject != null && !greetingReject.matches("[45]\\d\\d( .*)?")) {
          throw new IllegalArgumentException(
              "greetingReject: a 4xx or 5xx reply such as '554 5.7.1 <client> rejected: not whitelisted', got " + greetingReject);
        }
        if (neverAnswerDot && dropAfterData) {
          throw new IllegalArgumentException("neverAnswerDot, dropAfterData: choose one");
        }
        if (latency.isNegative() || commandLatency.values().stream().anyMatch(Duration::isNegative)) {
          throw new IllegalArgumentException("latency: must not be negative");
        }
        if (!(transientFraction >= 0 && transientFraction <= 1)) {
          throw new IllegalArgumentException("transientFraction: from 0 to 1, got " + transientFraction);
        }
        if (!(disconnectFraction >= 0 && disconnectFraction <= 1) || transientFraction + disconnectFraction > 1) {
          throw new IllegalArgumentException("disconnectFraction: from 0 to 1, and with transientFraction at most 1, got "
              + disconnectFraction);
        }
        if (refuseAfter.isNegative() || refuseFor.isNegative()) {
          throw new IllegalArgumentException("refuseConnections: after and duration must not be negative");
        }
        return new Options(host, port, hostname, implicitTls, advertiseStartTls, requireTls, offerAuthInClear,
            Map.copyOf(users), authRequired, certificates, maxSize, greetingReject, List.copyOf(recipientRules),
            transientMailFromFailures, neverAnswerDot, dropAfterData, latency, Map.copyOf(commandLatency),
            keepMessages, transientFraction, disconnectFraction, refuseAfter, refuseFor);
      }
    }
  }

  private static final Set<String> TLS_PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  private final Options options;
  private final Queue<ReceivedMail> received = new ConcurrentLinkedQueue<>();
  private final Queue<Command> transcript = new ConcurrentLinkedQueue<>();
  private final AtomicInteger sessions = new AtomicInteger();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger openConnections = new AtomicInteger();
  private final AtomicInteger peakOpenConnections = new AtomicInteger();
  private final AtomicInteger mailFromFailuresLeft;
  private final AtomicInteger queueIds = new AtomicInteger();
  private final AtomicLong accepted = new AtomicLong();
  private final MessageIdTally messageIds = new MessageIdTally();
  private final AtomicLong refusedConnections = new AtomicLong();
  private final AtomicLong transientReplies = new AtomicLong();
  private final AtomicLong disconnects = new AtomicLong();
  private volatile long startedNanos;
  private final ServerSSLOptions sslOptions;
  private volatile Vertx vertx;
  private volatile NetServer server;
  private volatile int port;

  public SmtpRelay(Options options) {
    this.options = options;
    this.mailFromFailuresLeft = new AtomicInteger(options.transientMailFromFailures());
    // one instance for all sessions, so that Vert.x builds the TLS context once
    this.sslOptions = options.certificates() == null ? null : new ServerSSLOptions()
        .setKeyCertOptions(options.certificates().keyCertOptions())
        .setEnabledSecureTransportProtocols(TLS_PROTOCOLS);
  }

  private static final Duration BIND_PATIENCE = Duration.ofSeconds(10);

  /** Listens on {@link Options#host()} and {@link Options#port()}. */
  public Future<SmtpRelay> start(Vertx vertx) {
    this.vertx = vertx;
    this.startedNanos = System.nanoTime();
    NetServerOptions serverOptions = new NetServerOptions();
    if (options.implicitTls()) {
      serverOptions.setSsl(true)
          .setKeyCertOptions(options.certificates().keyCertOptions())
          .setEnabledSecureTransportProtocols(TLS_PROTOCOLS);
    }
    return listen(serverOptions, System.nanoTime() + BIND_PATIENCE.toNanos());
  }

  /**
   * A relay started again on the port of one just closed may find the port still held for a moment
   * (by the closed server's sockets); it tries again for a while rather than failing the test.
   */
  private Future<SmtpRelay> listen(NetServerOptions serverOptions, long deadline) {
    server = vertx.createNetServer(serverOptions)
        .connectHandler(socket -> {
          if (refusingNow()) {
            refusedConnections.incrementAndGet();
            socket.close();
          } else {
            new SmtpSession(this, socket).start();
          }
        });
    return server.listen(options.port(), options.host())
        .<SmtpRelay>map(listening -> {
          port = listening.actualPort();
          return this;
        })
        .recover(error -> {
          if (!(error instanceof java.net.BindException) || options.port() == 0 || System.nanoTime() > deadline) {
            return Future.failedFuture(error);
          }
          return vertx.timer(200).compose(v -> listen(serverOptions, deadline));
        });
  }



  /** Stops listening and closes every open connection. */
  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** The port it listens on, also after {@link #close()}: a test can start a relay on it again. */
  public int port() {
    return port;
  }

  public Options options() {
    return options;
  }

  /** The messages received, in order. */
  public List<ReceivedMail> received() {
    return List.copyOf(received);
  }

  /** How many messages were received (and answered with 250, unless told otherwise). */
  public int count() {
    return (int) accepted.get();
  }

  /** How many different Message-IDs the messages received carried; kept also when messages are not. */
  public int distinctMessageIdCount() {
    return messageIds.distinct();
  }

  /** How many messages carried a Message-ID received before: duplicates. */
  public long duplicateMessageIds() {
    return messageIds.repeated();
  }

  /** Connections closed at once because they came in the refusal window. */
  public long refusedConnections() {
    return refusedConnections.get();
  }

  /** MAIL FROMs answered 451 at random ({@link Options.Builder#transientFraction}). */
  public long transientReplies() {
    return transientReplies.get();
  }

  /** MAIL FROMs answered 421 and disconnected at random ({@link Options.Builder#disconnectFraction}). */
  public long disconnects() {
    return disconnects.get();
  }

  /** Connections open now. */
  public int openConnections() {
    return openConnections.get();
  }

  /**
   * The distinct Message-IDs of the messages received, in order of arrival; fewer than
   * {@link #count()} means duplicates (or messages without a Message-ID, which are left out).
   */
  public Set<String> distinctMessageIds() {
    Set<String> ids = new LinkedHashSet<>();
    for (ReceivedMail mail : received) {
      if (mail.messageId() != null) {
        ids.add(mail.messageId());
      }
    }
    return ids;
  }

  /** Every command clients sent, in order over all sessions. */
  public List<Command> transcript() {
    return List.copyOf(transcript);
  }

  /** Whether any client sent AUTH on a connection that was not (yet) encrypted. */
  public boolean authSeenInClear() {
    return transcript.stream().anyMatch(command -> !command.tls() && command.verb().equals("AUTH"));
  }

  /** Whether any client sent MAIL on a connection that was not (yet) encrypted. */
  public boolean mailSeenInClear() {
    return transcript.stream().anyMatch(command -> !command.tls() && command.verb().equals("MAIL"));
  }

  /** How many connections clients opened. */
  public int connections() {
    return connections.get();
  }

  /** The most connections open at the same time. */
  public int peakOpenConnections() {
    return peakOpenConnections.get();
  }

  /** Forgets everything recorded and re-arms the transient MAIL FROM failures. */
  public void reset() {
    received.clear();
    transcript.clear();
    accepted.set(0);
    messageIds.clear();
    refusedConnections.set(0);
    transientReplies.set(0);
    disconnects.set(0);
    connections.set(0);
    peakOpenConnections.set(openConnections.get());
    mailFromFailuresLeft.set(options.transientMailFromFailures());
  }

  @Override
  public String toString() {
    return "SmtpRelay[" + options.host() + ":" + port + "]";
  }

  Vertx vertx() {
    return vertx;
  }

  ServerSSLOptions sslOptions() {
    return sslOptions;
  }

  /** Counts a new connection and returns its session number. */
  int opened() {
    connections.incrementAndGet();
    peakOpenConnections.accumulateAndGet(openConnections.incrementAndGet(), Math::max);
    return sessions.incrementAndGet();
  }

  void closed() {
    openConnections.decrementAndGet();
  }

  void record(Command command) {
    if (options.keepMessages()) {
      transcript.add(command);
    }
  }

  /** Counts a message taken; keeps it too unless told not to. */
  void accept(ReceivedMail mail) {
    accept(mail.messageId());
    received.add(mail);
  }

  /** Counts a message taken, of which only the Message-ID (null if none) was kept. */
  void accept(String messageId) {
    accepted.incrementAndGet();
    if (messageId != null) {
      messageIds.add(messageId);
    }
  }

  String nextQueueId() {
    return String.format("%08X", queueIds.incrementAndGet());
  }

  /** Whether this MAIL FROM is one of the transient failures the relay was told to inject. */
  boolean failTransiently() {
    if (mailFromFailuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
      return true;
    }
    if (options.transientFraction() > 0 && ThreadLocalRandom.current().nextDouble() < options.transientFraction()) {
      transientReplies.incrementAndGet();
      return true;
    }
    return false;
  }

  /** Whether this MAIL FROM is to be answered 421 and the connection closed, at random. */
  boolean disconnectAtRandom() {
    if (options.disconnectFraction() > 0 && ThreadLocalRandom.current().nextDouble() < options.disconnectFraction()) {
      disconnects.incrementAndGet();
      return true;
    }
    return false;
  }

  private boolean refusingNow() {
    if (options.refuseFor().isZero()) {
      return false;
    }
    long sinceStart = System.nanoTime() - startedNanos;
    return sinceStart >= options.refuseAfter().toNanos()
        && sinceStart < options.refuseAfter().plus(options.refuseFor()).toNanos();
  }
}
