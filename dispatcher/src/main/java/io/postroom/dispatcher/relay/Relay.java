package io.postroom.dispatcher.relay;

import io.postroom.contract.Job;
import io.postroom.dispatcher.config.RelayConfig;
import io.postroom.dispatcher.dkim.DkimKey;
import io.postroom.dispatcher.dkim.Signing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.CanonicalizationAlgorithm;
import io.vertx.ext.mail.DKIMSignAlgorithm;
import io.vertx.ext.mail.DKIMSignOptions;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.MailResult;
import java.util.List;
import java.util.UUID;
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
 *
 * <p>DKIM: vertx-mail-client signs every mail of a client with the keys of that client's config,
 * so a key is chosen by choosing a client ({@link Signers}). The two pools are made with
 * {@code MailClient.createShared} under names unique to this relay object; a signing client made
 * with the same name uses the pool's connections (a pool is built from the config of the client
 * that creates it, and only that one). The two unsigned clients hold the pools open for the
 * relay's life, so no signing client ever builds a pool: with vertx-mail-client's hostname
 * verification trap ({@link TransportSecurity}) that matters, and every config here is built fresh
 * by {@link TransportSecurity#mailConfig} anyway, never copied.
 */
public final class Relay {
  private final RelayConfig config;
  private final MailClient single;
  private final MailClient multi;
  /** Where a message goes: the pooled mail clients, or a stand-in (see the second constructor). */
  private final Function<MailMessage, Future<MailResult>> transport;
  private final RelayHealth health;
  private final SendDeadlines deadlines;
  private final Signing signing;
  /** Null for a relay with a stand-in transport. */
  private final Signers signers;
  /** Sends handed to the mail client and not finished: at most one per pooled connection. */
  private final int capacity;
  private int sending;

  public Relay(Vertx vertx, RelayConfig config, RelayHealth health) {
    this(vertx, config, health, Signing.none());
  }

  /** @param signing which key, if any, signs a job's mail */
  public Relay(Vertx vertx, RelayConfig config, RelayHealth health, Signing signing) {
    this.config = config;
    this.health = health;
    this.signing = signing;
    // pool names are global in a Vert.x instance: unique per relay object (and per dispatcher instance)
    String pool = "postroom-" + config.name() + "-" + UUID.randomUUID();
    this.single = MailClient.createShared(vertx, singleConfig(config), pool + "-single");
    this.multi = MailClient.createShared(vertx, multiConfig(config), pool + "-multi");
    this.signers = new Signers((key, multi, blankBody) -> MailClient.createShared(vertx,
        signed(multi ? multiConfig(config) : singleConfig(config), key, blankBody), pool + (multi ? "-multi" : "-single")));
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
    this.signing = Signing.none();
    this.signers = null;
    this.transport = transport;
    this.capacity = config.poolSize() + Math.max(1, config.poolSize() / 4);
    this.deadlines = new SendDeadlines(vertx, config.sendTimeout());
  }

  /** Fresh each time: a config is never copied or reused (see {@link TransportSecurity}). */
  private static MailConfig singleConfig(RelayConfig config) {
    return pooling(TransportSecurity.mailConfig(config), config, config.poolSize()).setAllowRcptErrors(false);
  }

  private static MailConfig multiConfig(RelayConfig config) {
    return pooling(TransportSecurity.mailConfig(config), config, Math.max(1, config.poolSize() / 4))
        .setAllowRcptErrors(true);
  }

  /**
   * The headers a signature covers; absent ones are skipped (and still named in {@code h=}, which
   * also keeps them from being added later without breaking the signature).
   */
  static final List<String> SIGNED_HEADERS = List.of("From", "To", "Cc", "Subject", "Date", "Message-ID",
      "Reply-To", "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "List-Unsubscribe",
      "List-Unsubscribe-Post");

  /**
   * {@code mail} signing with {@code key}: RSA-SHA256, relaxed/relaxed; relaxed/simple for a
   * message whose body is blank. vertx-mail-client 5.0.8 canonicalises a blank body to CRLF in both
   * modes; RFC 6376 3.4.4 makes it empty in relaxed mode (so every verifier's body hash differs)
   * and CRLF in simple mode (3.4.3), which then matches.
   */
  static MailConfig signed(MailConfig mail, DkimKey key, boolean blankBody) {
    return mail.setEnableDKIM(true).setDKIMSignOption(new DKIMSignOptions()
        .setSignAlgo(DKIMSignAlgorithm.RSA_SHA256)
        .setPrivateKey(key.privateKey().reveal())
        .setSdid(key.domain())
        .setSelector(key.selector())
        .setHeaderCanonAlgo(CanonicalizationAlgorithm.RELAXED)
        .setBodyCanonAlgo(blankBody ? CanonicalizationAlgorithm.SIMPLE : CanonicalizationAlgorithm.RELAXED)
        .setSignedHeaders(new java.util.ArrayList<>(SIGNED_HEADERS)));
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

  /**
   * One attempt of one of {@code job}'s messages, signed with the key that signs the job's tenant's
   * mail from its From domain now, if any ({@link Signing#keyFor}). A signature that cannot be made
   * fails the send with a {@link DkimSigningException}: the mail does not go unsigned.
   */
  public Future<MailResult> send(MailMessage message, Job job) {
    if (signers == null) {
      return send(message);
    }
    String domain = job.from().domain();
    DkimKey key = signing.keyFor(job.tenant(), domain);
    if (key == null) {
      return send(message);
    }
    Signers.Signer signer = signers.take(key);
    Future<MailResult> sent;
    try {
      // a key the signer cannot take throws here, as the client is made
      sent = signer.client(recipients(message) != 1, hasBlankBody(message)).sendMail(message);
    } catch (RuntimeException e) {
      sent = Future.failedFuture(e);
    }
    return deadlines.bound(sent.transform(result -> {
      signers.release(signer);
      if (result.succeeded()) {
        signing.signed(job.tenant(), domain);
        return Future.succeededFuture(result.result());
      }
      if (DkimSigningException.causedBySigning(result.cause())) {
        signing.failed(job.tenant(), domain);
        return Future.failedFuture(new DkimSigningException(key, result.cause()));
      }
      return Future.failedFuture(result.cause());
    }));
  }

  /**
   * Whether the message is one part (no attachments, not text and html) whose text is only white
   * space: what a relaxed body hash of vertx-mail-client gets wrong (see {@link #signed}).
   */
  static boolean hasBlankBody(MailMessage message) {
    boolean attachments = message.getAttachment() != null && !message.getAttachment().isEmpty()
        || message.getInlineAttachment() != null && !message.getInlineAttachment().isEmpty();
    if (attachments || message.getText() != null && message.getHtml() != null) {
      return false;
    }
    String body = message.getText() != null ? message.getText() : message.getHtml();
    return body == null || body.isBlank();
  }

  /** Keys this relay signs with now (one client pair each): for tests. */
  int signingKeys() {
    return signers == null ? 0 : signers.open();
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
    if (single == null) {
      return Future.succeededFuture();
    }
    // the signing clients first: the unsigned ones hold the pools until the last client is gone
    return signers.close().eventually(() -> Future.join(single.close(), multi.close())).mapEmpty();
  }
}
