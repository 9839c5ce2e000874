package io.postroom.dispatcher.relay;

import io.postroom.dispatcher.relay.SendFailure.Kind;
import io.vertx.ext.mail.SMTPException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Reads every way a send can fail into one {@link SendFailure}: the one place that decides whether
 * a failure is the message's fault for good (PERMANENT), for now (TRANSIENT), or the relay's
 * (RELAY: no attempt used, the relay is held). vertx-mail-client 5.0.8 reports failures as
 * {@link SMTPException} (with the reply), as a bare message (policy: STARTTLS or AUTH missing, SIZE),
 * or as the transport's own exception (connect, TLS, closed socket); {@code Future.timeout} adds a
 * {@link TimeoutException}.
 */
public final class FailureClassifier {
  /** "550 5.1.1 ..." or "550-5.1.1 ...": the RFC 3463 code after the reply code. */
  private static final Pattern ENHANCED = Pattern.compile("^\\d{3}[ -]([245]\\.\\d{1,3}\\.\\d{1,3})\\b");
  /**
   * Replies that are about this client, not this message, whatever the phase they come in: a relay
   * with Postfix's default {@code smtpd_delay_reject = yes} refuses a client that is not whitelisted
   * only at RCPT, and failing every job for that would lose the whole backlog.
   */
  private static final Pattern ABOUT_THE_CLIENT = Pattern.compile(
      "client host .*rejected|relay access denied|authentication required|must issue a starttls",
      Pattern.CASE_INSENSITIVE);

  private FailureClassifier() {
  }

  /**
   * @param relayName the relay's configured name, for the reason
   * @param address its "host:port", for the reason
   */
  public static SendFailure classify(Throwable error, String relayName, String address) {
    String relay = "relay " + relayName + " (" + address + ")";
    for (Throwable t : causes(error)) {
      SendFailure failure = classifyOne(t, relay);
      if (failure != null) {
        return failure;
      }
    }
    return new SendFailure(Kind.TRANSIENT, null, null, null,
        "unexpected error sending through " + relay + ": " + describe(error));
  }

  private static SendFailure classifyOne(Throwable t, String relay) {
    if (t instanceof DkimSigningException signing) {
      return new SendFailure(Kind.TRANSIENT, null, null, null, signing.getMessage() + "; not sent through " + relay);
    }
    if (t instanceof SMTPException smtp) {
      return reply(smtp, relay);
    }
    if (t instanceof TimeoutException) {
      return relayLevel(relay + " did not complete a send within its sendTimeout; the connection was given up");
    }
    if (t instanceof SSLException || t instanceof CertificateException
        || t.getClass().getName().equals("io.netty.handler.ssl.NotSslRecordException")) {
      return tls(t, relay);
    }
    if (t instanceof ConnectException || t instanceof UnknownHostException
        || t.getClass().getName().equals("io.netty.channel.ConnectTimeoutException")) {
      return relayLevel("cannot connect to " + relay + ": " + describe(t));
    }
    if (t instanceof IOException) {
      return relayLevel(relay + " closed the connection: " + describe(t));
    }
    return policy(t.getMessage(), relay);
  }

  /** The client's own refusals, which arrive as a bare message. */
  private static SendFailure policy(String message, String relay) {
    String m = message == null ? "" : message;
    if (m.startsWith("STARTTLS required but not supported")) {
      return relayLevel(relay + " did not offer STARTTLS; refusing to send credentials or mail in clear");
    }
    if (m.startsWith("login is required, but no credentials supplied")) {
      return relayLevel(relay + " requires AUTH but no credentials are configured; set the relay's username and"
          + " password (POSTROOM_RELAY_USERNAME / POSTROOM_RELAY_PASSWORD)");
    }
    if (m.startsWith("login is required")) {
      return relayLevel(relay + " offered no AUTH mechanism we may use on this connection (PLAIN, LOGIN, ...);"
          + " refusing to send mail unauthenticated");
    }
    if (m.startsWith("message exceeds allowed size limit")) {
      return new SendFailure(Kind.PERMANENT, null, null, null,
          "the message is larger than the SIZE limit " + relay + " announces; lower relays[].maxMessageBytes to match");
    }
    if (m.startsWith("no recipient addresses were accepted")) {
      // the client does not keep the recipients' replies: 4xx or 5xx cannot be told apart, so try again
      return new SendFailure(Kind.TRANSIENT, null, null, null, relay + " accepted none of the recipients");
    }
    if (m.equals("Connection was closed.") || m.startsWith("Sent ") && m.contains("responses")) {
      return relayLevel(relay + " connection ended: " + m);
    }
    if (m.equals("mail client has been closed") || m.equals("connection pool is closed")) {
      // this dispatcher is shutting down: the job stays uncommitted and its partition's next reader sends it
      return relayLevel("the connection pool of " + relay + " is closed (shutting down)");
    }
    return null;
  }

  private static SendFailure reply(SMTPException e, String relay) {
    int code = e.getReplyCode();
    String reply = String.join(" ", e.getReplyMessages()).strip();
    String enhanced = enhancedCode(e);
    String phase = e.getMessage() == null ? "" : e.getMessage();
    if (phase.startsWith("got error response")) {
      return relayReply(code, enhanced, reply, greeting(code, reply, relay));
    }
    if (phase.startsWith("AUTH")) {
      return relayReply(code, enhanced, reply, code == 535 || code == 534 || code == 538
          ? relay + " refused our credentials (" + reply + "); check the relay's username and password"
          : relay + " could not authenticate us (" + reply + "); credentials not accepted for now");
    }
    if (phase.startsWith("HELO") || phase.startsWith("EHLO") || phase.startsWith("reset")) {
      return relayReply(code, enhanced, reply, relay + " refused the session (" + reply + ")");
    }
    if (code == 421) {
      return relayReply(code, enhanced, reply, relay + " is closing the connection (" + reply + ")");
    }
    if (code == 454 || code == 530 || ABOUT_THE_CLIENT.matcher(reply).find()) {
      return relayReply(code, enhanced, reply, relay + " refused this client, not the message (" + reply
          + "); check that this host is whitelisted and authenticated at the relay");
    }
    String refused = what(phase) + " refused by " + relay + ": " + reply;
    if (code >= 500) {
      return new SendFailure(Kind.PERMANENT, code, enhanced, reply, refused);
    }
    if (code >= 400) {
      return new SendFailure(Kind.TRANSIENT, code, enhanced, reply, refused + " (temporary)");
    }
    return new SendFailure(Kind.TRANSIENT, code, enhanced, reply, "unexpected reply from " + relay + ": " + reply);
  }

  private static String greeting(int code, String reply, String relay) {
    if (code == 554 || reply.toLowerCase(Locale.ROOT).contains("reject")) {
      return relay + " rejected this client at the greeting (" + reply
          + "): this host's address is probably not whitelisted at the relay; ask its operators to add it";
    }
    return relay + " is not accepting connections now (" + reply + ")";
  }

  private static String what(String phase) {
    if (phase.startsWith("sender")) {
      return "sender (MAIL FROM)";
    }
    if (phase.startsWith("recipient")) {
      return "recipient (RCPT TO)";
    }
    if (phase.startsWith("DATA")) {
      return "message (DATA)";
    }
    return "message";
  }

  private static SendFailure tls(Throwable t, String relay) {
    boolean certificate = false;
    for (Throwable c : causes(t)) {
      String m = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
      if (c instanceof CertificateException || m.contains("certificat") || m.contains("subject alternative")
          || m.contains("pkix")) {
        certificate = true;
      }
    }
    if (certificate) {
      return relayLevel(relay + " presented a certificate that is not trusted for this host name ("
          + describe(t) + "); check relays[].trustPem / POSTROOM_RELAY_TRUST_PEM and the relay's host name");
    }
    if (t.getClass().getName().endsWith("NotSslRecordException")) {
      return relayLevel(relay + " did not answer in TLS; is this an implicit-TLS port (tls=implicit) or a STARTTLS"
          + " one (tls=starttls)?");
    }
    return relayLevel("TLS handshake with " + relay + " failed (" + describe(t)
        + "); Postroom speaks only TLS 1.2 and 1.3");
  }

  /** The error and its causes, outermost first; a cycle of causes is read once. */
  private static List<Throwable> causes(Throwable error) {
    List<Throwable> chain = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  private static String enhancedCode(SMTPException e) {
    for (String line : e.getReplyMessages()) {
      Matcher m = ENHANCED.matcher(line);
      if (m.find()) {
        return m.group(1);
      }
    }
    return null;
  }

  private static SendFailure relayLevel(String reason) {
    return new SendFailure(Kind.RELAY, null, null, null, reason);
  }

  private static SendFailure relayReply(int code, String enhanced, String reply, String reason) {
    return new SendFailure(Kind.RELAY, code, enhanced, reply, reason);
  }

  private static String describe(Throwable t) {
    String message = t.getMessage();
    return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
  }
}
