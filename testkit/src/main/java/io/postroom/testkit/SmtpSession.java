package io.postroom.testkit;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection to an {@link SmtpRelay}: the SMTP dialogue as a state machine.
 *
 * <p>Input is cut into CRLF-terminated lines and queued; lines are handled one at a time, so
 * pipelined commands are answered in order even while a reply is delayed or TLS is being set up.
 * Runs on the connection's event loop only.
 */
final class SmtpSession {

  private enum State { COMMAND, DATA, AUTH_PLAIN, AUTH_LOGIN_USERNAME, AUTH_LOGIN_PASSWORD, SILENT, CLOSED }

  private static final Logger log = LoggerFactory.getLogger(SmtpSession.class);
  private static final Pattern MAIL_FROM = Pattern.compile("(?i)FROM:\\s*<([^>]*)>(.*)");
  private static final Pattern RCPT_TO = Pattern.compile("(?i)TO:\\s*<([^>]*)>(.*)");
  private static final Pattern SIZE_PARAMETER = Pattern.compile("(?i)(?:^|\\s)SIZE=(\\d+)");
  private static final String MESSAGE_ID_FIELD = "message-id:";
  private static final String USERNAME_CHALLENGE = "334 VXNlcm5hbWU6";
  private static final String PASSWORD_CHALLENGE = "334 UGFzc3dvcmQ6";

  private final SmtpRelay relay;
  private final SmtpRelay.Options options;
  private final NetSocket socket;
  private final int id;
  private final Queue<Buffer> pending = new ArrayDeque<>();
  private RecordParser parser;
  private boolean busy;
  private State state = State.COMMAND;

  private boolean tls;
  private boolean greeted;
  private String user;
  private String loginUsername;

  private String from;
  private final List<String> recipients = new ArrayList<>();
  private Buffer data;
  private long dataBytes;
  private boolean inHeaders;
  private String messageId;
  private boolean tooLarge;

  SmtpSession(SmtpRelay relay, NetSocket socket) {
    this.relay = relay;
    this.options = relay.options();
    this.socket = socket;
    this.id = relay.opened();
    this.tls = socket.isSsl();
  }

  void start() {
    socket.closeHandler(closed -> {
      state = State.CLOSED;
      relay.closed();
    });
    socket.exceptionHandler(failure -> {
      log.debug("session {}: {}", id, failure.toString());
      close();
    });
    listen();
    busy = true;
    after(options.latency("CONNECT"), () -> {
      busy = false;
      greet();
      drain();
    });
  }

  private void greet() {
    if (options.greetingReject() != null) {
      replyThenClose(options.greetingReject());
    } else {
      reply("220 " + options.hostname() + " ESMTP Postroom test relay");
    }
  }

  // --- input ---------------------------------------------------------------------------------

  /** Starts a fresh line parser; lines the previous one still holds are dropped. */
  private void listen() {
    RecordParser lines = RecordParser.newDelimited("\r\n");
    lines.handler(line -> {
      if (parser == lines) {
        receive(line);
      }
    });
    parser = lines;
    socket.handler(lines);
  }

  private void receive(Buffer line) {
    if (state == State.SILENT || state == State.CLOSED) {
      return;
    }
    pending.add(line);
    drain();
  }

  private void drain() {
    while (!busy && !pending.isEmpty() && state != State.CLOSED) {
      Buffer line = pending.remove();
      Duration delay = latencyFor(line);
      if (delay.isZero()) {
        handle(line);
      } else {
        busy = true;
        after(delay, () -> {
          busy = false;
          handle(line);
          drain();
        });
      }
    }
  }

  private Duration latencyFor(Buffer line) {
    if (state == State.COMMAND) {
      return options.latency(verbOf(line.toString(StandardCharsets.UTF_8)));
    }
    if (state == State.DATA && isEndOfData(line)) {
      return options.latency(".");
    }
    return Duration.ZERO;
  }

  private void handle(Buffer line) {
    switch (state) {
      case COMMAND -> command(line.toString(StandardCharsets.UTF_8));
      case DATA -> messageLine(line);
      case AUTH_PLAIN -> authPlainResponse(line.toString(StandardCharsets.US_ASCII));
      case AUTH_LOGIN_USERNAME -> authLoginUsername(line.toString(StandardCharsets.US_ASCII));
      case AUTH_LOGIN_PASSWORD -> authLoginPassword(line.toString(StandardCharsets.US_ASCII));
      case SILENT, CLOSED -> { }
    }
  }

  // --- commands ------------------------------------------------------------------------------

  private void command(String line) {
    String verb = verbOf(line);
    String argument = line.length() > verb.length() ? line.substring(verb.length()).trim() : "";
    String recorded = verb.equals("AUTH") && argument.contains(" ")
        ? "AUTH " + argument.substring(0, argument.indexOf(' ')) + " ***"
        : line;
    relay.record(new SmtpRelay.Command(id, recorded, tls));
    log.debug("session {} C: {}", id, recorded);
    switch (verb) {
      case "EHLO" -> ehlo(argument);
      case "HELO" -> helo(argument);
      case "STARTTLS" -> startTls();
      case "AUTH" -> auth(argument);
      case "MAIL" -> mail(argument);
      case "RCPT" -> rcpt(argument);
      case "DATA" -> data();
      case "RSET" -> {
        resetTransaction();
        reply("250 2.0.0 Ok");
      }
      case "NOOP" -> reply("250 2.0.0 Ok");
      case "VRFY" -> reply("252 2.0.0 Cannot VRFY user, but will accept message");
      case "QUIT" -> replyThenClose("221 2.0.0 Bye");
      default -> reply("502 5.5.2 Error: command not recognized");
    }
  }

  private void ehlo(String clientName) {
    if (clientName.isEmpty()) {
      reply("501 5.5.4 Syntax: EHLO hostname");
      return;
    }
    greeted = true;
    resetTransaction();
    List<String> lines = new ArrayList<>();
    lines.add(options.hostname() + " greets " + clientName);
    lines.add("PIPELINING");
    lines.add(options.maxSize() > 0 ? "SIZE " + options.maxSize() : "SIZE");
    lines.add("8BITMIME");
    lines.add("ENHANCEDSTATUSCODES");
    if (options.advertiseStartTls() && !tls) {
      lines.add("STARTTLS");
    }
    if (authOffered()) {
      lines.add("AUTH PLAIN LOGIN");
    }
    reply(multiline("250", lines));
  }

  private void helo(String clientName) {
    if (clientName.isEmpty()) {
      reply("501 5.5.4 Syntax: HELO hostname");
      return;
    }
    greeted = true;
    resetTransaction();
    reply("250 " + options.hostname());
  }

  private void startTls() {
    if (tls) {
      reply("503 5.5.1 Error: TLS already active");
      return;
    }
    if (!options.advertiseStartTls()) {
      reply("502 5.5.1 Error: command not implemented");
      return;
    }
    // Whatever the client pipelined after STARTTLS came in clear: discard it (RFC 3207, 4.2).
    listen();
    pending.clear();
    busy = true;
    log.debug("session {} S: 220 2.0.0 Ready to start TLS", id);
    // The reply goes with the upgrade: Vert.x writes it and installs TLS before reading on, so
    // the ClientHello cannot be read as a plaintext line.
    socket.upgradeToSsl(relay.sslOptions(), Buffer.buffer("220 2.0.0 Ready to start TLS\r\n"))
        .onSuccess(upgraded -> {
          // RFC 3207, 4.2: forget what the client said before TLS
          tls = true;
          greeted = false;
          user = null;
          resetTransaction();
          busy = false;
          drain();
        })
        .onFailure(failure -> {
          log.debug("session {}: TLS handshake failed: {}", id, failure.toString());
          close();
        });
  }

  private void auth(String argument) {
    if (!greeted) {
      reply("503 5.5.1 Error: send EHLO first");
    } else if (options.users().isEmpty()) {
      reply("503 5.5.1 Error: authentication not enabled");
    } else if (!tls && !options.offerAuthInClear()) {
      reply("530 5.7.0 Must issue a STARTTLS command first");
    } else if (user != null) {
      reply("503 5.5.1 Error: already authenticated");
    } else if (from != null) {
      reply("503 5.5.1 Error: MAIL transaction in progress");
    } else {
      String[] words = argument.split(" ", 2);
      String mechanism = words[0].toUpperCase(Locale.ROOT);
      String initialResponse = words.length > 1 ? words[1].trim() : null;
      switch (mechanism) {
        case "PLAIN" -> {
          if (initialResponse == null) {
            state = State.AUTH_PLAIN;
            reply("334 ");
          } else {
            authPlainResponse(initialResponse);
          }
        }
        case "LOGIN" -> {
          if (initialResponse == null) {
            state = State.AUTH_LOGIN_USERNAME;
            reply(USERNAME_CHALLENGE);
          } else {
            authLoginUsername(initialResponse);
          }
        }
        default -> reply("504 5.5.4 Unrecognized authentication type");
      }
    }
  }

  private void authPlainResponse(String response) {
    state = State.COMMAND;
    String decoded = decodeSasl(response);
    if (decoded == null) {
      return;
    }
    // authorization identity \0 authentication identity \0 password
    String[] parts = decoded.split("\0", -1);
    if (parts.length != 3) {
      reply("501 5.5.2 Error: malformed AUTH PLAIN response");
      return;
    }
    authenticate(parts[1], parts[2]);
  }

  private void authLoginUsername(String response) {
    state = State.COMMAND;
    loginUsername = decodeSasl(response);
    if (loginUsername != null) {
      state = State.AUTH_LOGIN_PASSWORD;
      reply(PASSWORD_CHALLENGE);
    }
  }

  private void authLoginPassword(String response) {
    state = State.COMMAND;
    String password = decodeSasl(response);
    if (password != null) {
      authenticate(loginUsername, password);
    }
  }

  /** The decoded SASL response, or null after replying that it was cancelled or unreadable. */
  private String decodeSasl(String response) {
    if (response.equals("*")) {
      reply("501 5.7.0 Authentication aborted");
      return null;
    }
    if (response.equals("=")) {
      return "";
    }
    try {
      return new String(Base64.getDecoder().decode(response), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      reply("501 5.5.2 Error: cannot decode response");
      return null;
    }
  }

  private void authenticate(String username, String password) {
    if (username != null && password.equals(options.users().get(username))) {
      user = username;
      reply("235 2.7.0 Authentication successful");
    } else {
      reply("535 5.7.8 Authentication credentials invalid");
    }
  }

  private void mail(String argument) {
    Matcher mailFrom = MAIL_FROM.matcher(argument);
    if (!greeted) {
      reply("503 5.5.1 Error: send HELO/EHLO first");
    } else if (!tls && options.requireTls()) {
      reply("530 5.7.0 Must issue a STARTTLS command first");
    } else if (options.requireAuth() && user == null) {
      reply("530 5.7.0 Authentication required");
    } else if (from != null) {
      reply("503 5.5.1 Error: nested MAIL command");
    } else if (!mailFrom.matches()) {
      reply("501 5.5.4 Syntax: MAIL FROM:<address>");
    } else if (declaredSizeTooLarge(mailFrom.group(2))) {
      reply("552 5.3.4 Message size exceeds fixed limit");
    } else if (relay.failTransiently()) {
      reply("451 4.3.0 Try again later");
    } else if (relay.disconnectAtRandom()) {
      replyThenClose("421 4.3.2 Service shutting down, closing transmission channel");
    } else {
      from = mailFrom.group(1);
      reply("250 2.1.0 Ok");
    }
  }

  private boolean declaredSizeTooLarge(String parameters) {
    Matcher size = SIZE_PARAMETER.matcher(parameters);
    return options.maxSize() > 0 && size.find() && Long.parseLong(size.group(1)) > options.maxSize();
  }

  private void rcpt(String argument) {
    Matcher rcptTo = RCPT_TO.matcher(argument);
    if (from == null) {
      reply("503 5.5.1 Error: need MAIL command");
      return;
    }
    if (!rcptTo.matches()) {
      reply("501 5.5.4 Syntax: RCPT TO:<address>");
      return;
    }
    String address = rcptTo.group(1);
    for (SmtpRelay.RecipientRule rule : options.recipientRules()) {
      if (rule.matches().test(address)) {
        String reply = rule.replyTo(address);
        if (reply.startsWith("2")) {
          recipients.add(address);
        }
        reply(reply);
        return;
      }
    }
    recipients.add(address);
    reply("250 2.1.5 Ok");
  }

  private void data() {
    if (from == null) {
      reply("503 5.5.1 Error: need MAIL command");
    } else if (recipients.isEmpty()) {
      reply("554 5.5.1 Error: no valid recipients");
    } else {
      state = State.DATA;
      data = options.keepMessages() ? Buffer.buffer() : null;
      dataBytes = 0;
      inHeaders = true;
      messageId = null;
      tooLarge = false;
      reply("354 End data with <CR><LF>.<CR><LF>");
    }
  }

  // --- message data --------------------------------------------------------------------------

  private void messageLine(Buffer line) {
    if (isEndOfData(line)) {
      endOfData();
      return;
    }
    Buffer unstuffed = line.length() > 0 && line.getByte(0) == '.' ? line.getBuffer(1, line.length()) : line;
    if (tooLarge) {
      return;
    }
    dataBytes += unstuffed.length() + 2;
    if (options.maxSize() > 0 && dataBytes > options.maxSize()) {
      tooLarge = true;
      data = null;
      return;
    }
    if (data != null) {
      data.appendBuffer(unstuffed).appendString("\r\n");
    } else if (inHeaders) {
      noteHeader(unstuffed);
    }
  }

  /** Without the message kept, only its Message-ID is: read from the headers as they pass. */
  private void noteHeader(Buffer line) {
    if (line.length() == 0) {
      inHeaders = false;
    } else if (messageId == null && startsWithIgnoringCase(line, MESSAGE_ID_FIELD)) {
      messageId = line.getString(MESSAGE_ID_FIELD.length(), line.length(), "ISO-8859-1").trim();
    }
  }

  private static boolean startsWithIgnoringCase(Buffer line, String prefix) {
    if (line.length() < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (Character.toLowerCase((char) line.getByte(i)) != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isEndOfData(Buffer line) {
    return line.length() == 1 && line.getByte(0) == '.';
  }

  private void endOfData() {
    state = State.COMMAND;
    if (tooLarge) {
      resetTransaction();
      reply("552 5.3.4 Message size exceeds fixed maximum message size");
      return;
    }
    String queueId = relay.nextQueueId();
    if (data != null) {
      byte[] message = data.getBytes();
      boolean acknowledged = !options.neverAnswerDot() && !options.dropAfterData();
      relay.accept(new ReceivedMail(id, queueId, from, List.copyOf(recipients), message,
          ReceivedMail.messageIdOf(message), tls, user, acknowledged));
    } else {
      relay.accept(messageId);
    }
    resetTransaction();
    if (options.neverAnswerDot()) {
      state = State.SILENT;
    } else if (options.dropAfterData()) {
      close();
    } else {
      reply("250 2.0.0 Ok: queued as " + queueId);
    }
  }

  // --- output --------------------------------------------------------------------------------

  private void reply(String reply) {
    log.debug("session {} S: {}", id, reply);
    socket.write(reply + "\r\n");
  }

  private void replyThenClose(String reply) {
    log.debug("session {} S: {}", id, reply);
    state = State.SILENT;
    socket.write(reply + "\r\n").onComplete(written -> close());
  }

  private void close() {
    if (state != State.CLOSED) {
      state = State.CLOSED;
      socket.close();
    }
  }

  // --- helpers -------------------------------------------------------------------------------

  private boolean authOffered() {
    return !options.users().isEmpty() && (tls || options.offerAuthInClear());
  }

  /** {@code 250-first}, {@code 250-...}, {@code 250 last}. */
  private static String multiline(String code, List<String> lines) {
    List<String> numbered = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      numbered.add(code + (i < lines.size() - 1 ? "-" : " ") + lines.get(i));
    }
    return String.join("\r\n", numbered);
  }

  private void resetTransaction() {
    from = null;
    recipients.clear();
    data = null;
    messageId = null;
    tooLarge = false;
  }

  private void after(Duration delay, Runnable action) {
    if (delay.isZero()) {
      action.run();
    } else {
      relay.vertx().setTimer(delay.toMillis(), timer -> action.run());
    }
  }

  static String verbOf(String line) {
    int space = line.indexOf(' ');
    return (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
  }
}
