package io.postroom.loadtest.baseline;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * What a typical Java user writes: Jakarta Mail (Angus Mail) on a fixed pool of
 * {@code connections} threads that take the messages in order from a shared counter. Either each
 * thread keeps one connected {@link Transport} and sends every message over it (reconnecting after
 * a failure), or — {@code perMessage} — it opens a new one for each message: connect, STARTTLS,
 * AUTH, send, QUIT. STARTTLS is required, TLS 1.2+, the certificate checked against
 * {@code --trust-pem} and the host name verified, AUTH required.
 */
final class JakartaBaseline {
  private static final String CONNECT_TIMEOUT_MILLIS = "30000";
  private static final String READ_TIMEOUT_MILLIS = "60000";

  private JakartaBaseline() {
  }

  static Properties properties(BaselineOptions options, List<Certificate> trusted) {
    Properties props = new Properties();
    props.put("mail.transport.protocol", "smtp");
    props.put("mail.smtp.host", options.host());
    props.put("mail.smtp.port", Integer.toString(options.port()));
    props.put("mail.smtp.auth", "true");
    props.put("mail.smtp.starttls.enable", "true");
    props.put("mail.smtp.starttls.required", "true");
    props.put("mail.smtp.ssl.protocols", "TLSv1.2 TLSv1.3");
    props.put("mail.smtp.ssl.checkserveridentity", "true");
    // an object, not a class name: put, not setProperty
    props.put("mail.smtp.ssl.socketFactory", Trust.socketFactory(trusted));
    props.put("mail.smtp.connectiontimeout", CONNECT_TIMEOUT_MILLIS);
    props.put("mail.smtp.timeout", READ_TIMEOUT_MILLIS);
    return props;
  }

  /** The warm-up messages, then the measured ones, in this JVM with the same session. */
  static BaselineResult run(BaselineOptions options, String password, List<Certificate> trusted, boolean perMessage) {
    Session session = Session.getInstance(properties(options, trusted));
    int warmupSent = 0;
    if (options.warmup() > 0) {
      Recorder warmup = new Recorder(options, password, 0, options.warmup());
      BaselineResult warm = send(session, options, password, warmup, perMessage);
      if (warm.failed() > 0) {
        return warm;
      }
      warmupSent = warm.sent();
    }
    Recorder recorder = new Recorder(options, password);
    recorder.warmedUpWith(warmupSent);
    return send(session, options, password, recorder, perMessage);
  }

  private static BaselineResult send(Session session, BaselineOptions options, String password, Recorder recorder,
      boolean perMessage) {
    recorder.start();
    ExecutorService threads = Executors.newFixedThreadPool(options.connections());
    try {
      for (int t = 0; t < options.connections(); t++) {
        threads.execute(perMessage
            ? () -> sendEachOnItsOwnConnection(session, options, password, recorder)
            : () -> sendOverOneConnection(session, options, password, recorder));
      }
      threads.shutdown();
      while (!threads.awaitTermination(1, TimeUnit.SECONDS)) {
        // the senders stop by themselves: after the last message, a failure or the time box
      }
    } catch (InterruptedException e) {
      threads.shutdownNow();
      Thread.currentThread().interrupt();
    }
    return recorder.result();
  }

  /** One connection per thread, connected when its first message comes and again after a failure. */
  private static void sendOverOneConnection(Session session, BaselineOptions options, String password,
      Recorder recorder) {
    Transport transport = null;
    try {
      for (int i = recorder.next(); i >= 0; i = recorder.next()) {
        try {
          MimeMessage message = new BenchMessage(options.runId(), i, options.size()).mimeMessage(session);
          long handed = System.nanoTime();
          if (transport == null) {
            transport = session.getTransport("smtp");
            transport.connect(options.host(), options.port(), options.username(), password);
          }
          transport.sendMessage(message, message.getAllRecipients());
          recorder.sent(i, handed);
        } catch (MessagingException | RuntimeException e) {
          recorder.failed(i, e);
          closeQuietly(transport);
          transport = null;
        }
      }
    } finally {
      closeQuietly(transport);
    }
  }

  /** A new connection for every message, closed (QUIT) before the message counts as sent. */
  private static void sendEachOnItsOwnConnection(Session session, BaselineOptions options, String password,
      Recorder recorder) {
    for (int i = recorder.next(); i >= 0; i = recorder.next()) {
      Transport transport = null;
      try {
        MimeMessage message = new BenchMessage(options.runId(), i, options.size()).mimeMessage(session);
        long handed = System.nanoTime();
        transport = session.getTransport("smtp");
        transport.connect(options.host(), options.port(), options.username(), password);
        transport.sendMessage(message, message.getAllRecipients());
        // the relay has the message (250); a QUIT that goes wrong does not make it unsent
        closeQuietly(transport);
        transport = null;
        recorder.sent(i, handed);
      } catch (MessagingException | RuntimeException e) {
        recorder.failed(i, e);
        closeQuietly(transport);
      }
    }
  }

  private static void closeQuietly(Transport transport) {
    if (transport != null) {
      try {
        transport.close();
      } catch (MessagingException | RuntimeException ignored) {
        // the connection is gone either way
      }
    }
  }
}
