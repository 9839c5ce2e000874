package io.postroom.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Dovecot bounce mailbox of the bounce tests: IMAP with STARTTLS required on
 * 127.0.0.2:{@value #IMAP_PORT}, LMTP on 127.0.0.2:{@value #LMTP_PORT} (where the test Postfix
 * delivers {@code bounces.postroom.test}), one password for every user. Installed, configured and
 * controlled by {@code testkit/dovecot/dovecot-mailbox.sh}, which needs root.
 */
public final class DovecotMailbox {
  public static final String HOST = "127.0.0.2";
  public static final int IMAP_PORT = 10143;
  public static final int LMTP_PORT = 10024;
  /** The domain the test Postfix hands to this Dovecot. */
  public static final String BOUNCE_DOMAIN = "bounces.postroom.test";
  private static final Path SCRIPT_RELATIVE = Path.of("testkit", "dovecot", "dovecot-mailbox.sh");
  private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(10);

  private final Path script;
  private final Certificates certificates;

  private DovecotMailbox(Path script, Certificates certificates) {
    this.script = script;
    this.certificates = certificates;
  }

  /**
   * Installs Dovecot if missing, configures it with a certificate for 127.0.0.2 (made in {@code dir}),
   * starts it and empties every mailbox.
   */
  public static DovecotMailbox setUp(Path dir, String password) {
    Path script = findScript();
    Certificates certificates = Certificates.create(dir, HOST);
    run(script, null, "install");
    run(script, null, "configure", certificates.certPem().toAbsolutePath().toString(),
        certificates.keyPem().toAbsolutePath().toString(), password);
    run(script, null, "start");
    run(script, null, "clear");
    return new DovecotMailbox(script, certificates);
  }

  /** The CA that signed the IMAP certificate: the reader's {@code bounces.imap.trustPem}. */
  public Path caPem() {
    return certificates.caPem();
  }

  public void clear() {
    run(script, null, "clear");
  }

  /** Stores a message in a user's folder as it is (doveadm save). */
  public void save(String user, String folder, byte[] message) {
    run(script, message, "save", user, folder);
  }

  /** Messages in a user's folder (0 when it does not exist). */
  public int count(String user, String folder) {
    return Integer.parseInt(run(script, null, "count", user, folder).trim());
  }

  /** The messages of a user's maildir folder ({@code INBOX} or a folder name such as {@code Postroom.Unparseable}), whole. */
  public List<String> messages(String user, String folder) {
    Path maildir = Path.of("/var/lib/postroom-bounces", user, "Maildir");
    Path dir = folder.equals("INBOX") ? maildir : maildir.resolve("." + folder);
    List<String> messages = new ArrayList<>();
    for (String sub : new String[] {"new", "cur"}) {
      try (var files = Files.list(dir.resolve(sub))) {
        for (Path file : files.toList()) {
          messages.add(Files.readString(file, StandardCharsets.ISO_8859_1));
        }
      } catch (IOException e) {
        // no such folder yet
      }
    }
    return messages;
  }

  public String logTail(int lines) {
    return run(script, null, "log", Integer.toString(lines));
  }

  private static Path findScript() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(SCRIPT_RELATIVE);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("cannot find " + SCRIPT_RELATIVE + " above " + Path.of("").toAbsolutePath());
  }

  private static String run(Path script, byte[] input, String... args) {
    List<String> command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      try (OutputStream in = process.getOutputStream()) {
        if (input != null) {
          in.write(input);
        }
      }
      ByteArrayOutputStream output = new ByteArrayOutputStream();
      Thread drain = new Thread(() -> {
        try (InputStream out = process.getInputStream()) {
          out.transferTo(output);
        } catch (IOException ignored) {
          // the process is gone
        }
      }, "dovecot-mailbox-output");
      drain.setDaemon(true);
      drain.start();
      if (!process.waitFor(SCRIPT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("dovecot-mailbox.sh " + args[0] + " did not finish within " + SCRIPT_TIMEOUT);
      }
      drain.join(10_000);
      String text;
      synchronized (output) {
        text = output.toString(StandardCharsets.UTF_8);
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException("dovecot-mailbox.sh " + args[0] + " failed (exit " + process.exitValue()
            + "):\n" + text);
      }
      return text;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("dovecot-mailbox.sh " + args[0] + " interrupted", e);
    }
  }
}
