package io.postroom.bounces.imap;

import io.postroom.bounces.config.ImapSettings;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;

/**
 * The bounce mailbox over IMAP (Angus Mail, blocking: the reader's own thread only): the folder
 * the reports arrive in, the processed folder they move to once their records are durable, and
 * the aside folder that keeps what cannot be used, each copy with an {@value #ASIDE_REASON} header
 * saying why. The connection is kept between polls and made again when it was lost.
 */
public final class Mailbox implements AutoCloseable {
  /** The header an aside copy carries: {@code <outcome>: <reason>}. */
  public static final String ASIDE_REASON = "X-Postroom-Aside-Reason";
  private static final int MAX_REASON = 400;

  private final Session session;
  private final ImapSettings settings;
  private final String processedFolder;
  private final String asideFolder;
  private Store store;
  private IMAPFolder inbox;

  public Mailbox(ImapSettings settings, String processedFolder, String asideFolder) {
    this.session = ImapSessions.session(settings);
    this.settings = settings;
    this.processedFolder = processedFolder;
    this.asideFolder = asideFolder;
  }

  /** Connects (STARTTLS, then LOGIN) if not connected, makes the two folders if missing, opens the inbox. */
  public void open() throws MessagingException {
    if (store == null || !store.isConnected()) {
      closeQuietly();
      store = session.getStore();
      store.connect(settings.host(), settings.port(), settings.username(), settings.password().reveal());
      for (String name : List.of(processedFolder, asideFolder)) {
        Folder folder = store.getFolder(name);
        if (!folder.exists()) {
          folder.create(Folder.HOLDS_MESSAGES);
        }
      }
    }
    if (inbox == null || !inbox.isOpen()) {
      inbox = (IMAPFolder) store.getFolder(settings.folder());
      inbox.open(Folder.READ_WRITE);
    }
  }

  /** Whether the server was asked to protect the connection with TLS and did (for the tests and the log). */
  public boolean isSecure() {
    return store instanceof IMAPStore imap && imap.isSSL();
  }

  /** The messages the folder holds now (light handles: nothing of them is fetched yet). */
  public Message[] messages() throws MessagingException {
    return inbox.getMessages();
  }

  /** Fetches the arrival times (and envelopes) of these messages in one command. */
  public void prefetch(Message[] messages) throws MessagingException {
    FetchProfile profile = new FetchProfile();
    profile.add(FetchProfile.Item.ENVELOPE);
    inbox.fetch(messages, profile);
  }

  /** The whole message as the server keeps it (one FETCH). */
  public byte[] raw(Message message) throws MessagingException, IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, message.getSize()));
    message.writeTo(out);
    return out.toByteArray();
  }

  /** A message parsed from its raw bytes, to read offline. */
  public MimeMessage parse(byte[] raw) throws MessagingException {
    return new MimeMessage(session, new ByteArrayInputStream(raw));
  }

  public static Instant receivedAt(Message message) throws MessagingException {
    return message.getReceivedDate() == null ? null : message.getReceivedDate().toInstant();
  }

  /** Moves the messages to the processed folder (IMAP MOVE, or COPY and EXPUNGE where there is no MOVE). */
  public void moveToProcessed(List<Message> messages) throws MessagingException {
    if (messages.isEmpty()) {
      return;
    }
    Message[] array = messages.toArray(Message[]::new);
    Folder target = store.getFolder(processedFolder);
    if (((IMAPStore) store).hasCapability("MOVE")) {
      inbox.moveMessages(array, target);
    } else {
      inbox.copyMessages(array, target);
      remove(array);
    }
  }

  /**
   * Keeps a copy of the message in the aside folder with the reason in a header above the original
   * headers (APPEND), then removes the original: never lost, never read again.
   */
  public void moveAside(Message message, byte[] raw, String outcome, String reason) throws MessagingException {
    String line = ASIDE_REASON + ": " + headerText(outcome + ": " + reason) + "\r\n";
    byte[] header = line.getBytes(StandardCharsets.UTF_8);
    byte[] copy = Arrays.copyOf(header, header.length + raw.length);
    System.arraycopy(raw, 0, copy, header.length, raw.length);
    MimeMessage aside = parse(copy);
    store.getFolder(asideFolder).appendMessages(new Message[] {aside});
    remove(new Message[] {message});
  }

  private void remove(Message[] messages) throws MessagingException {
    inbox.setFlags(messages, new Flags(Flags.Flag.DELETED), true);
    // UID EXPUNGE (UIDPLUS) removes only these, not whatever else someone flagged
    inbox.expunge(messages);
  }

  /** Ends the poll: closes the folder (expunging nothing more), keeps the connection. */
  public void endPoll() {
    try {
      if (inbox != null && inbox.isOpen()) {
        inbox.close(false);
      }
    } catch (MessagingException e) {
      closeQuietly();
    }
    inbox = null;
  }

  private static String headerText(String text) {
    String flat = text.replaceAll("[\\r\\n\\t]+", " ").replaceAll("[^\\x20-\\x7e]", "?");
    return flat.length() <= MAX_REASON ? flat : flat.substring(0, MAX_REASON);
  }

  private void closeQuietly() {
    try {
      if (store != null) {
        store.close();
      }
    } catch (MessagingException e) {
      // already gone
    }
    store = null;
    inbox = null;
  }

  @Override
  public void close() {
    endPoll();
    closeQuietly();
  }
}
