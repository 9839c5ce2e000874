package io.postroom.dispatcher.relay;

import io.postroom.dispatcher.config.RelayConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.MailResult;
import java.util.List;
import java.util.function.Function;
import java.util.concurrent.TimeUnit;

/**
 * One configured relay: its pooled mail clients and its health. The pool size, keep-alive and
 * per-connection limits that suit a busy relay are set here; the security settings come from
 * {@link TransportSecurity}.
 *
 * <p>Two pools, both pipelining, because vertx-mail-client 5.0.8 makes us choose per client how a
 * refused RCPT is handled:
 * <ul>
 *   <li>single-recipient jobs (most notifications) use {@code allowRcptErrors=false}: a refused
 *       recipient fails the send with the relay's own reply, so a 450 is retried and a 550 is not.
 *       This is safe with pipelining only because with no accepted recipient the relay must refuse
 *       DATA (RFC 2920), so the connection never enters the DATA phase;
 *   <li>jobs with several recipients use {@code allowRcptErrors=true}: with one recipient refused
 *       and another accepted, {@code false} would leave the connection in the DATA phase, holding
 *       its pool slot forever. The message goes to the accepted recipients and the refused ones
 *       are reported; the client does not say why each was refused.
 * </ul>
 * The second pool is a quarter of the size: connections are opened only when used.
 */
public final class Relay {
  private final RelayConfig config;
  private final MailClient single;
  private final MailClient multi;
  /** Where a message goes: the pooled mail clients, or a stand-in (see the second constructor). */
  private final Function<MailMessage, Future<MailResult>> transport;
  private final RelayHealth health;
  private final SendDeadlines deadlines;
  /** Sends handed to the mail client and not finished: at most one per pooled connection. */
  private final int capacity;
  private int sending;

  public Relay(Vertx vertx, RelayConfig config, RelayHealth health) {
    this.config = config;
    this.health = health;
    this.single = MailClient.create(vertx, pooling(TransportSecurity.mailConfig(config), config, config.poolSize())
        .setAllowRcptErrors(false));
    this.multi = MailClient.create(vertx,
        pooling(TransportSecurity.mailConfig(config), config, Math.max(1, config.poolSize() / 4))
            .setAllowRcptErrors(true));
    this.transport = message -> (recipients(message) == 1 ? single : multi).sendMail(message);
    this.capacity = config.poolSize() + Math.max(1, config.poolSize() / 4);
    this.deadlines = new SendDeadlines(vertx, config.sendTimeout());
  }

  /**
   * A relay whose messages go to {@code transport} instead of to pooled mail clients, with the
   * same slots, health and send deadline: for tests of what a relay's answer leads to.
   */
  public Relay(Vertx vertx, RelayConfig config, RelayHealth health,
      Function<MailMessage, Future<MailResult>> transport) {
    this.config = config;
    this.health = health;
    this.single = null;
    this.multi = null;
    this.transport = transport;
    this.capacity = config.poolSize() + Math.max(1, config.poolSize() / 4);
    this.deadlines = new SendDeadlines(vertx, config.sendTimeout());
  }

  private static MailConfig pooling(MailConfig mail, RelayConfig config, int poolSize) {
    mail.setMaxPoolSize(poolSize)
        .setKeepAlive(true)
        .setKeepAliveTimeout((int) config.idleTimeout().toSeconds())
        .setMaxMailsPerConnection(config.maxMailsPerConnection())
        .setPipelining(true)
        // the client has no per-command timeout: a relay that goes silent mid-dialogue is cut off
        // after this much inactivity, which frees the pool slot
        .setIdleTimeout((int) config.sendTimeout().toMillis())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setMultiPartOnly(false);
    if (config.ownHostname() != null) {
      mail.setOwnHostname(config.ownHostname());
    }
    return mail;
  }

  /**
   * Takes a sending slot if one is free. Sends beyond the pools' connections would queue inside the
   * mail client, out of reach of {@link RelayHealth}: when the relay fails, each of them would open
   * a connection of its own and fail again (hundreds of failed logins in a second get a client
   * blocked). Holding them in the {@link RelayRouter} instead, a failing relay sees at most one
   * failed connection per pooled slot.
   */
  boolean tryReserve() {
    if (sending >= capacity) {
      return false;
    }
    sending++;
    return true;
  }

  /** The probe goes even when the slots are taken by sends that are still failing. */
  void reserveForProbe() {
    sending++;
  }

  void release() {
    sending--;
  }

  /** One attempt, bounded by the relay's send timeout whatever the relay does. */
  public Future<MailResult> send(MailMessage message) {
    return deadlines.bound(transport.apply(message));
  }

  private static int recipients(MailMessage message) {
    return size(message.getTo()) + size(message.getCc()) + size(message.getBcc());
  }

  private static int size(List<String> list) {
    return list == null ? 0 : list.size();
  }

  public String name() {
    return config.name();
  }

  public RelayConfig config() {
    return config;
  }

  public RelayHealth health() {
    return health;
  }

  public Future<Void> close() {
    deadlines.close();
    return single == null ? Future.succeededFuture() : Future.join(single.close(), multi.close()).mapEmpty();
  }
}
