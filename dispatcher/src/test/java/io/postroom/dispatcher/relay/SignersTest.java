package io.postroom.dispatcher.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.config.Secret;
import io.postroom.dispatcher.dkim.DkimKey;
import io.vertx.core.Future;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.MailResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class SignersTest {
  private final List<FakeClient> made = new ArrayList<>();
  private final Signers signers = new Signers((key, multi, blank) -> {
    FakeClient client = new FakeClient(key.selector() + (multi ? "/multi" : "/single") + (blank ? "/blank" : ""));
    made.add(client);
    return client;
  });

  private static DkimKey key(String selector) {
    return new DkimKey("a.example", selector, Secret.of("k"), "p", 2048, Path.of("/keys/a.example/" + selector + ".pem"),
        selector);
  }

  /** A shared client: closing it twice would throw, as vertx-mail-client's does. */
  private static final class FakeClient implements MailClient {
    final String name;
    int closes;

    FakeClient(String name) {
      this.name = name;
    }

    @Override
    public Future<MailResult> sendMail(MailMessage email) {
      return Future.succeededFuture(new MailResult());
    }

    @Override
    public Future<Void> close() {
      if (++closes > 1) {
        throw new IllegalStateException("Already closed");
      }
      return Future.succeededFuture();
    }
  }

  @Test
  void aKeysClientsAreMadeWhenFirstNeededAndReused() {
    DkimKey key = key("s1");

    Signers.Signer first = signers.take(key);
    first.client(false, false);
    first.client(false, false);
    signers.release(first);
    Signers.Signer again = signers.take(key);

    assertThat(again).isSameAs(first);
    assertThat(made).extracting(c -> c.name).containsExactly("s1/single");
  }

  @Test
  void aRotatedKeysClientsCloseOnceTheirLastSendIsDone() {
    Signers.Signer old = signers.take(key("s1"));
    old.client(false, false);
    old.client(true, false);

    Signers.Signer rotated = signers.take(key("s2"));
    rotated.client(false, false);
    boolean closedWhileSending = made.get(0).closes > 0;
    signers.release(old);

    assertThat(closedWhileSending).isFalse();
    assertThat(made.subList(0, 2)).allSatisfy(client -> assertThat(client.closes).isEqualTo(1));
    assertThat(made.get(2).closes).isZero();
    assertThat(signers.open()).isEqualTo(1);
  }

  @Test
  void closingTheRelayClosesEachClientOnceEvenARetiredOne() {
    Signers.Signer old = signers.take(key("s1"));
    old.client(false, false);
    signers.release(old);
    signers.take(key("s2")).client(false, true);

    signers.close();

    assertThat(made).allSatisfy(client -> assertThat(client.closes).isEqualTo(1));
  }

  @Test
  void aBlankBodyGetsItsOwnClient() {
    MailMessage blank = new MailMessage().setText(" \r\n");
    MailMessage text = new MailMessage().setText("hello");
    MailMessage alternative = new MailMessage().setText("").setHtml("<p>hi</p>");

    assertThat(Relay.hasBlankBody(blank)).isTrue();
    assertThat(Relay.hasBlankBody(new MailMessage().setHtml(""))).isTrue();
    assertThat(Relay.hasBlankBody(text)).isFalse();
    assertThat(Relay.hasBlankBody(alternative)).isFalse();
  }

  @Test
  void aRefusedCertificateIsNotTakenForASigningFailure() {
    SSLHandshakeException handshake = new SSLHandshakeException("PKIX path validation failed");
    handshake.initCause(new java.security.cert.CertificateException("No name matching localhost found"));

    assertThat(DkimSigningException.causedBySigning(handshake)).isFalse();
    assertThat(DkimSigningException.causedBySigning(new RuntimeException("Cannot sign email",
        new java.security.SignatureException("bad key")))).isTrue();
  }

  @Test
  void theSignedHeadersIncludeBothListUnsubscribeHeadersAndTheMimeHeaders() {
    assertThat(Relay.SIGNED_HEADERS).contains("From", "To", "Subject", "Date", "Message-ID", "MIME-Version",
        "Content-Type", "Content-Transfer-Encoding", "List-Unsubscribe", "List-Unsubscribe-Post");
  }
}
