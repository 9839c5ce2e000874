package io.postroom.dispatcher.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.dispatcher.relay.SendFailure.Kind;
import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import io.vertx.ext.mail.SMTPException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Failures built as vertx-mail-client 5.0.8 builds them: an {@link SMTPException} whose message is
 * the phase prefix the client uses, bare messages for its own refusals, transport exceptions.
 */
class FailureClassifierTest {
  private static final String RELAY = "relay primary (mail.example.org:587)";

  // the phase prefixes of vertx-mail-client 5.0.8
  private static final String GREETING = "got error response";
  private static final String AUTH = "AUTH PLAIN failed";
  private static final String HELO = "HELO failed.";
  private static final String MAIL_FROM = "sender address not accepted";
  private static final String RCPT_TO = "recipient address not accepted";
  private static final String DATA = "DATA command not accepted";
  private static final String AFTER_DATA = "sending data failed";

  private static SendFailure classify(Throwable error) {
    return FailureClassifier.classify(error, "primary", "mail.example.org:587");
  }

  private static SMTPException reply(String phase, int code, String... lines) {
    return new SMTPException(phase, code, List.of(lines), true);
  }

  private static SSLHandshakeException handshake(String message, Throwable cause) {
    SSLHandshakeException e = new SSLHandshakeException(message);
    e.initCause(cause);
    return e;
  }

  // --- the greeting

  @Test
  void a554GreetingIsTheRelaysRefusalOfThisHostAndAsksForWhitelisting() {
    SendFailure failure = classify(new SMTPException(GREETING, 554,
        List.of("554 5.7.1 Service unavailable; Client host [192.0.2.7] blocked"), false));

    assertThat(failure.kind()).isEqualTo(Kind.RELAY);
    assertThat(failure.smtpCode()).isEqualTo(554);
    assertThat(failure.reason()).contains(RELAY, "whitelist", "Client host [192.0.2.7] blocked");
  }

  @Test
  void aGreetingThatSaysRejectedAsksForWhitelistingWhateverItsCode() {
    SendFailure failure = classify(reply(GREETING, 550, "550 5.7.1 Connection rejected by policy"));

    assertThat(failure.kind()).isEqualTo(Kind.RELAY);
    assertThat(failure.reason()).contains("whitelist");
  }

  @Test
  void aTemporaryGreetingRefusalIsARelayFailureThatIsNotAboutWhitelisting() {
    SendFailure failure = classify(reply(GREETING, 421, "421 4.3.2 Service shutting down"));

    assertThat(failure.kind()).isEqualTo(Kind.RELAY);
    assertThat(failure.smtpCode()).isEqualTo(421);
    assertThat(failure.reason()).contains(RELAY, "not accepting connections").doesNotContain("whitelist");
  }

  @Test
  void theEnhancedCodeIsReadFromTheReplyEvenWhenTheClientDidNotParseIt() {
    // the client builds greeting errors without ENHANCEDSTATUSCODES: the EHLO has not been answered yet
    SendFailure failure = classify(new SMTPException(GREETING, 554,
        List.of("554 5.7.1 Service unavailable"), false));

    assertThat(failure.enhancedCode()).isEqualTo("5.7.1");
  }

  @Test
  void aRefusedHeloIsARelayFailure() {
    SendFailure failure = classify(reply(HELO, 501, "501 5.5.2 Syntax: HELO hostname"));

    assertThat(failure.kind()).isEqualTo(Kind.RELAY);
    assertThat(failure.reason()).contains(RELAY, "refused the session");
  }

  @Test
  void aRefusedResetIsARelayFailure() {
    SendFailure failure = classify(reply("reset command failed", 500, "500 5.5.1 Error: unknown command"));

    assertThat(failure.kind()).isEqualTo(Kind.RELAY);
  }

  // --- authentication

  @Test
  void a535ToAuthIsARelayFailureThatSaysToCheckTheCredentials() {
    SendFailure failure = classify(reply(AUTH, 535, "535 5.7.8 Error: authentication failed: authentication failure"));

    assertThat(failure.kind()).isEqualTo(Kind.RELAY);
    assertThat(failure.smtpCode()).isEqualTo(535);
    assertThat(failure.enhancedCode()).isEqualTo("5.7.8");
    assertThat(failure.reason()).contains(RELAY, "credentials", "username and password");
  }

  @ParameterizedTest
  @ValueSource(ints = {534, 538})
  void theOtherPermanentAuthRepliesAlsoSayToCheckTheCredentials(int code) {
    SendFailure failure = classify(reply(AUTH, code, code + " 5.7.9 Authentication mechanism is too weak"));

    assertThat(failure.kind()).isEqualTo(Kind.RELAY);
    assertThat(failure.reason()).contains("username and password");
  }

  @Test
  void aTemporaryAuthFailureIsARelayFailureThatDoesNotBlameTheCredentials() {
    SendFailure failure = classify(reply(AUTH, 454, "454 4.7.0 Temporary authentication failure"));

    assertThat(failure.kind()).isEqualTo(Kind.RELAY);
    assertThat(failure.smtpCode()).isEqualTo(454);
    assertThat(failure.reason()).contains(RELAY, "could not authenticate", "for now")
        .doesNotContain("username and password");
  }

  // --- replies about the client, not the message, in any phase

  @ParameterizedTest
  @ValueSource(strings = {MAIL_FROM, RCPT_TO, DATA, AFTER_DATA})
  void a421InAnyPhaseIsARelayFailure(String phase) {
    SendFailure failure = classify(reply(phase, 421, "421 4.4.2 mail.example.org Error: timeout exceeded"));

    assertThat(failure.kind()).isEqualTo(Kind.RELAY);
    assertThat(failure.smtpCode()).isEqualTo(421);
    assertThat(failure.reason()).contains(RELAY, "closing the connection");
  }

  @Test
  void a454IsARelayFailure() {
    SendFailure failure = classify(reply(MAIL_FROM, 454, "454 4.7.0 TLS not available due to local problem"));

    assertThat(failure.kind()).isEqualTo(Kind.RELAY);
    assertThat(failure.smtpCode()).isEqualTo(454);
    assertThat(failure.reason()).contains(RELAY, "whitelisted and authenticated");
  }

  @Test
  void a530IsARelayFailure() {
    SendFailure failure = classify(reply(MAIL_FROM, 530, "530 5.7.0 Must issue a STARTTLS command first"));

    assertThat(failure.kind()).isEqualTo(Kind.RELAY);
    assertThat(failure.smtpCode()).isEqualTo(530);
    assertThat(failure.enhancedCode()).isEqualTo("5.7.0");
  }

  @Test
  void a554ClientHostRejectedAtRcptIsARelayFailureNotTheRecipients() {
    // Postfix's default smtpd_delay_reject = yes refuses a client that is not whitelisted only at RCPT
    SendFailure failure = classify(reply(RCPT_TO, 554,
        "554 5.7.1 <unknown[192.0.2.7]>: Client host rejected: Access denied"));

    assertThat(failure.kind()).isEqualTo(Kind.RELAY);
    assertThat(failure.smtpCode()).isEqualTo(554);
    assertThat(failure.enhancedCode()).isEqualTo("5.7.1");
    assertThat(failure.reason()).contains(RELAY, "whitelisted");
  }

  @Test
  void relayAccessDeniedAtRcptIsARelayFailure() {
    SendFailure failure = classify(reply(RCPT_TO, 554, "554 5.7.1 <a@example.org>: Relay access denied"));

    assertThat(failure.kind()).isEqualTo(Kind.RELAY);
  }

  @Test
  void authenticationRequiredAtMailFromIsARelayFailureWhateverTheCode() {
    SendFailure failure = classify(reply(MAIL_FROM, 550, "550 5.7.1 Authentication required"));

    assertThat(failure.kind()).isEqualTo(Kind.RELAY);
  }

  // --- replies about the message, for now

  @Test
  void a450AtRcptIsTransient() {
    SendFailure failure = classify(reply(RCPT_TO, 450,
        "450 4.2.0 <a@example.org>: Recipient address rejected: Greylisted"));

    assertThat(failure.kind()).isEqualTo(Kind.TRANSIENT);
    assertThat(failure.smtpCode()).isEqualTo(450);
    assertThat(failure.enhancedCode()).isEqualTo("4.2.0");
    assertThat(failure.reason()).contains("recipient (RCPT TO)", RELAY, "Greylisted", "(temporary)");
  }

  @Test
  void a451AtMailFromIsTransient() {
    SendFailure failure = classify(reply(MAIL_FROM, 451,
        "451 4.3.0 <noreply@example.gov.in>: Temporary lookup failure"));

    assertThat(failure.kind()).isEqualTo(Kind.TRANSIENT);
    assertThat(failure.smtpCode()).isEqualTo(451);
    assertThat(failure.reason()).contains("sender (MAIL FROM)", RELAY, "(temporary)");
  }

  @Test
  void a451AtRcptIsTransient() {
    SendFailure failure = classify(reply(RCPT_TO, 451, "451 4.3.0 <a@example.org>: Temporary lookup failure"));

    assertThat(failure.kind()).isEqualTo(Kind.TRANSIENT);
  }

  @Test
  void a451AfterTheDataIsTransient() {
    SendFailure failure = classify(reply(AFTER_DATA, 451, "451 4.3.0 Error: queue file write error"));

    assertThat(failure.kind()).isEqualTo(Kind.TRANSIENT);
    assertThat(failure.reason()).contains("message refused by " + RELAY);
  }

  // --- replies about the message, for good

  @Test
  void a550AtRcptIsPermanent() {
    SendFailure failure = classify(reply(RCPT_TO, 550,
        "550 5.1.1 <x@y.example>: Recipient address rejected: User unknown"));

    assertThat(failure.kind()).isEqualTo(Kind.PERMANENT);
    assertThat(failure.smtpCode()).isEqualTo(550);
    assertThat(failure.enhancedCode()).isEqualTo("5.1.1");
    assertThat(failure.reply()).isEqualTo("550 5.1.1 <x@y.example>: Recipient address rejected: User unknown");
    assertThat(failure.reason()).contains("recipient (RCPT TO)", RELAY, "User unknown");
  }

  @Test
  void a553AtMailFromIsPermanent() {
    SendFailure failure = classify(reply(MAIL_FROM, 553,
        "553 5.7.1 <noreply@example.gov.in>: Sender address rejected: not owned by user svc"));

    assertThat(failure.kind()).isEqualTo(Kind.PERMANENT);
    assertThat(failure.reason()).contains("sender (MAIL FROM)");
  }

  @Test
  void a554ToTheDataCommandIsPermanent() {
    SendFailure failure = classify(reply(DATA, 554, "554 5.5.1 Error: no valid recipients"));

    assertThat(failure.kind()).isEqualTo(Kind.PERMANENT);
    assertThat(failure.reason()).contains("message (DATA)");
  }

  @Test
  void a552AfterTheDataIsPermanent() {
    SendFailure failure = classify(reply(AFTER_DATA, 552, "552 5.3.4 Message size exceeds fixed limit"));

    assertThat(failure.kind()).isEqualTo(Kind.PERMANENT);
    assertThat(failure.smtpCode()).isEqualTo(552);
    assertThat(failure.enhancedCode()).isEqualTo("5.3.4");
    assertThat(failure.reason()).contains("message refused by " + RELAY, "Message size exceeds fixed limit");
  }

  @Test
  void aMultiLineReplyKeepsEveryLineAndItsEnhancedCode() {
    SendFailure failure = classify(reply(RCPT_TO, 550,
        "550-5.1.1 The email account that you tried to reach does not exist.",
        "550 5.1.1 Please check the address."));

    assertThat(failure.enhancedCode()).isEqualTo("5.1.1");
    assertThat(failure.reply()).isEqualTo(
        "550-5.1.1 The email account that you tried to reach does not exist. 550 5.1.1 Please check the address.");
  }

  @Test
  void aReplyWithoutAnEnhancedCodeHasNone() {
    SendFailure failure = classify(reply(RCPT_TO, 550, "550 Mailbox unavailable"));

    assertThat(failure.kind()).isEqualTo(Kind.PERMANENT);
    assertThat(failure.enhancedCode()).isNull();
  }

  // --- the client's own refusals, as bare messages

  @Test
  void aRelayWithoutStarttlsIsARelayFailureAndNothingIsSentInClear() {
    SendFailure failure = classify(new NoStackTraceThrowable("STARTTLS required but not supported by server"));

    assertThat(failure.kind()).isEqualTo(Kind.RELAY);
    assertThat(failure.smtpCode()).isNull();
    assertThat(failure.reason()).contains(RELAY, "STARTTLS", "refusing");
  }

  @Test
  void aRelayWithoutAUsableAuthMechanismIsARelayFailureAndNothingIsSentUnauthenticated() {
    SendFailure failure = classify(new NoStackTraceThrowable(
        "login is required, but no allowed AUTH methods available. You may need to do STARTTLS"));

    assertThat(failure.kind()).isEqualTo(Kind.RELAY);
    assertThat(failure.reason()).contains(RELAY, "AUTH", "refusing");
  }

  @Test
  void aMessageLargerThanTheRelaysSizeLimitIsPermanentAndSaysWhichSettingToLower() {
    SendFailure failure = classify(new NoStackTraceThrowable("message exceeds allowed size limit"));

    assertThat(failure.kind()).isEqualTo(Kind.PERMANENT);
    assertThat(failure.smtpCode()).isNull();
    assertThat(failure.reason()).contains(RELAY, "SIZE", "maxMessageBytes");
  }

  @Test
  void noRecipientAcceptedIsTransientBecauseTheRepliesAreNotKept() {
    SendFailure failure = classify(new NoStackTraceThrowable("no recipient addresses were accepted, not sending mail"));

    assertThat(failure.kind()).isEqualTo(Kind.TRANSIENT);
    assertThat(failure.reason()).contains(RELAY, "none of the recipients");
  }

  @Test
  void aConnectionClosedByTheClientIsARelayFailure() {
    SendFailure failure = classify(new NoStackTraceThrowable("Connection was closed."));

    assertThat(failure.kind()).isEqualTo(Kind.RELAY);
    assertThat(failure.reason()).contains(RELAY, "Connection was closed.");
  }

  @Test
  void missingPipelinedRepliesAreARelayFailure() {
    SendFailure failure = classify(new NoStackTraceThrowable("Sent 3 commands, but got 2 responses."));

    assertThat(failure.kind()).isEqualTo(Kind.RELAY);
  }

  // --- the transport

  @Test
  void aTimeoutIsARelayFailure() {
    SendFailure failure = classify(new TimeoutException());

    assertThat(failure.kind()).isEqualTo(Kind.RELAY);
    assertThat(failure.smtpCode()).isNull();
    assertThat(failure.reason()).contains(RELAY, "sendTimeout");
  }

  @Test
  void theTimeoutOfFutureTimeoutIsARelayFailure() {
    SendFailure failure = classify(new NoStackTraceTimeoutException("The timeout period of 30000ms has been exceeded"));

    assertThat(failure.kind()).isEqualTo(Kind.RELAY);
    assertThat(failure.reason()).contains("sendTimeout");
  }

  @Test
  void aCertificateNotValidForTheHostNameIsARelayFailureThatPointsAtTheTrustSettings() {
    SendFailure failure = classify(handshake("General SSLEngine problem",
        new CertificateException("No subject alternative DNS name matching localhost found.")));

    assertThat(failure.kind()).isEqualTo(Kind.RELAY);
    assertThat(failure.smtpCode()).isNull();
    assertThat(failure.reason()).contains(RELAY, "certificate", "not trusted", "trustPem");
  }

  @Test
  void aBareCertificateExceptionIsACertificateFailure() {
    SendFailure failure = classify(new CertificateException("No subject alternative DNS name matching localhost found."));

    assertThat(failure.kind()).isEqualTo(Kind.RELAY);
    assertThat(failure.reason()).contains("certificate", "trustPem");
  }

  @Test
  void aHandshakeFailureWithoutACertificateProblemNamesTheProtocolsWeSpeak() {
    SendFailure failure = classify(new SSLHandshakeException("Received fatal alert: protocol_version"));

    assertThat(failure.kind()).isEqualTo(Kind.RELAY);
    assertThat(failure.reason()).contains(RELAY, "TLS handshake", "protocol_version", "TLS 1.2 and 1.3")
        .doesNotContain("trustPem");
  }

  @Test
  void aRefusedConnectionIsARelayFailure() {
    SendFailure failure = classify(new ConnectException("Connection refused"));

    assertThat(failure.kind()).isEqualTo(Kind.RELAY);
    assertThat(failure.reason()).isEqualTo("cannot connect to " + RELAY + ": Connection refused");
  }

  @Test
  void anUnknownRelayHostIsARelayFailure() {
    SendFailure failure = classify(new UnknownHostException("mail.example.org"));

    assertThat(failure.kind()).isEqualTo(Kind.RELAY);
    assertThat(failure.reason()).contains("cannot connect to " + RELAY);
  }

  @Test
  void aSocketClosedByTheRelayIsARelayFailure() {
    SendFailure failure = classify(new IOException("socket was closed unexpected."));

    assertThat(failure.kind()).isEqualTo(Kind.RELAY);
    assertThat(failure.reason()).contains(RELAY, "closed the connection", "socket was closed unexpected.");
  }

  // --- wrapped and unknown errors

  @Test
  void aWrappedTransportFailureIsClassifiedByItsCause() {
    SendFailure failure = classify(new VertxException("send failed", new ConnectException("Connection refused")));

    assertThat(failure.kind()).isEqualTo(Kind.RELAY);
    assertThat(failure.reason()).contains("cannot connect to " + RELAY);
  }

  @Test
  void aWrappedReplyIsClassifiedByTheReply() {
    SendFailure failure = classify(new RuntimeException("send failed",
        reply(RCPT_TO, 550, "550 5.1.1 <x@y.example>: Recipient address rejected: User unknown")));

    assertThat(failure.kind()).isEqualTo(Kind.PERMANENT);
    assertThat(failure.smtpCode()).isEqualTo(550);
  }

  @Test
  void aCauseSeveralLevelsDownIsFound() {
    SendFailure failure = classify(new RuntimeException("outer",
        new IllegalStateException("middle", handshake("General SSLEngine problem",
            new CertificateException("No subject alternative DNS name matching localhost found.")))));

    assertThat(failure.kind()).isEqualTo(Kind.RELAY);
    assertThat(failure.reason()).contains("certificate");
  }

  @Test
  void anUnknownErrorIsTransient() {
    SendFailure failure = classify(new RuntimeException("something odd"));

    assertThat(failure.kind()).isEqualTo(Kind.TRANSIENT);
    assertThat(failure.smtpCode()).isNull();
    assertThat(failure.enhancedCode()).isNull();
    assertThat(failure.reason()).isEqualTo("unexpected error sending through " + RELAY + ": something odd");
  }

  @Test
  void anUnknownErrorWithoutAMessageIsDescribedByItsType() {
    SendFailure failure = classify(new IllegalStateException());

    assertThat(failure.kind()).isEqualTo(Kind.TRANSIENT);
    assertThat(failure.reason()).endsWith(": IllegalStateException");
  }

  static Stream<Throwable> everyKindOfFailure() {
    return Stream.of(
        reply(GREETING, 554, "554 5.7.1 Service unavailable"),
        reply(AUTH, 535, "535 5.7.8 Error: authentication failed"),
        reply(RCPT_TO, 550, "550 5.1.1 <x@y.example>: User unknown"),
        reply(RCPT_TO, 450, "450 4.2.0 <x@y.example>: Greylisted"),
        reply(AFTER_DATA, 421, "421 4.4.2 timeout exceeded"),
        new NoStackTraceThrowable("STARTTLS required but not supported by server"),
        new NoStackTraceThrowable("message exceeds allowed size limit"),
        new TimeoutException(),
        new SSLHandshakeException("Received fatal alert: protocol_version"),
        new ConnectException("Connection refused"),
        new IOException("socket was closed unexpected."),
        new RuntimeException("something odd"));
  }

  @ParameterizedTest
  @MethodSource("everyKindOfFailure")
  void everyReasonNamesTheRelayByNameAndAddress(Throwable error) {
    assertThat(classify(error).reason()).contains(RELAY);
  }
}
