package io.postroom.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The real Postfix relay of the end-to-end tests, set up like the government relay (STARTTLS
 * mandatory before AUTH, TLS 1.2+, SASL PLAIN/LOGIN, SIZE 36700160, client-IP whitelist answering
 * 554 at the greeting) and delivering every message into one maildir. Installed, configured and
 * controlled by {@code testkit/postfix/postfix-relay.sh}, which needs root.
 */
public final class PostfixRelay {
  private static final String SCRIPT_PROPERTY = "postroom.postfix.script";
  private static final Path SCRIPT_RELATIVE = Path.of("testkit", "postfix", "postfix-relay.sh");
  private static final Path POSTFIX = Path.of("/usr/sbin/postfix");
  private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(10);

  private final Path script;
  private final Path maildir;

  private PostfixRelay(Path script, Path maildir) {
    this.script = script;
    this.maildir = maildir;
  }

  /** True if this process is root and Postfix is installed or can be (apt-get is present). */
  public static boolean available() {
    if (!isRoot()) {
      return false;
    }
    return Files.isExecutable(POSTFIX) || Files.isExecutable(Path.of("/usr/bin/apt-get"));
  }

  /** Installs Postfix if missing, configures it, adds the SASL user, starts it and empties the maildir. */
  public static PostfixRelay setUp(Path certPem, Path keyPem, String user, String password) {
    Path script = findScript();
    if (!Files.isExecutable(POSTFIX)) {
      run(script, "install");
    }
    run(script, "configure", certPem.toAbsolutePath().toString(), keyPem.toAbsolutePath().toString());
    run(script, "adduser", user, password);
    run(script, "start");
    run(script, "clear");
    Path maildir = Path.of(run(script, "maildir").trim());
    return new PostfixRelay(script, maildir);
  }

  public String host() {
    return "127.0.0.1";
  }

  public int whitelistedPort() {
    return 2525;
  }

  public int notWhitelistedPort() {
    return 2526;
  }

  public int implicitTlsPort() {
    return 2465;
  }

  /** Starts Postfix (reloads it if it runs) and waits for a real 220 greeting. */
  public void start() {
    run(script, "start");
  }

  /** Stops Postfix and waits until the port is closed; queued mail stays queued. */
  public void stop() {
    run(script, "stop");
  }

  /** Empties the maildir and the queue. */
  public void clear() {
    run(script, "clear");
  }

  /** Messages delivered into the maildir (new/ and cur/). */
  public int deliveredCount() {
    return deliveredFiles().size();
  }

  /** The Message-ID header (with its angle brackets) of each delivered message, one per file. */
  public List<String> deliveredMessageIds() {
    List<Path> files = deliveredFiles();
    List<String> ids = new ArrayList<>(files.size());
    for (Path file : files) {
      try {
        String id = messageId(file);
        if (id != null) {
          ids.add(id);
        }
      } catch (NoSuchFileException gone) {
        // cleared meanwhile
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return ids;
  }

  /** Up to {@code n} delivered messages, whole (headers and body), picked at random. */
  public List<String> deliveredSample(int n) {
    List<Path> files = new ArrayList<>(deliveredFiles());
    Collections.shuffle(files);
    List<String> messages = new ArrayList<>(n);
    for (Path file : files.subList(0, Math.min(n, files.size()))) {
      try {
        messages.add(Files.readString(file, StandardCharsets.UTF_8));
      } catch (NoSuchFileException gone) {
        // cleared meanwhile
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return messages;
  }

  /** Polls every 100 ms until at least {@code n} messages are delivered; false on timeout. */
  public boolean awaitDelivered(int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (deliveredCount() >= n) {
        return true;
      }
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** The last lines of Postfix's log (/var/log/postfix.log). */
  public String logTail(int lines) {
    try {
      return run(script, "log", Integer.toString(lines));
    } catch (RuntimeException e) {
      return "(no Postfix log: " + e.getMessage() + ")";
    }
  }

  @Override
  public String toString() {
    return "Postfix relay " + host() + ":" + whitelistedPort() + " (maildir " + maildir + ")";
  }

  private List<Path> deliveredFiles() {
    List<Path> files = new ArrayList<>();
    for (String sub : new String[] {"new", "cur"}) {
      Path dir = maildir.resolve(sub);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path entry : entries) {
          files.add(entry);
        }
      } catch (NoSuchFileException gone) {
        // cleared meanwhile
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return files;
  }

  /** Reads the header section only (up to the first empty line), unfolding continuation lines. */
  static String messageId(Path file) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 8192)) {
      String current = null;
      String line;
      while ((line = readLine(in)) != null && !line.isEmpty()) {
        if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
          current = current + line;
          continue;
        }
        String id = messageIdValue(current);
        if (id != null) {
          return id;
        }
        current = line;
      }
      return messageIdValue(current);
    }
  }

  private static String messageIdValue(String header) {
    if (header == null) {
      return null;
    }
    int colon = header.indexOf(':');
    if (colon < 0 || !header.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("message-id")) {
      return null;
    }
    return header.substring(colon + 1).trim();
  }

  /** One line without its CR LF, ISO-8859-1; null at the end of the stream. */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    int b;
    boolean any = false;
    while ((b = in.read()) != -1) {
      any = true;
      if (b == '\n') {
        break;
      }
      line.write(b);
    }
    if (!any) {
      return null;
    }
    String s = line.toString(StandardCharsets.ISO_8859_1);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  private static boolean isRoot() {
    if ("root".equals(System.getProperty("user.name"))) {
      return true;
    }
    try {
      Process p = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && out.equals("0");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Path findScript() {
    String configured = System.getProperty(SCRIPT_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      Path path = Path.of(configured).toAbsolutePath();
      if (!Files.isRegularFile(path)) {
        throw new IllegalStateException(SCRIPT_PROPERTY + " points to a missing file: " + path);
      }
      return path;
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(SCRIPT_RELATIVE);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("cannot find " + SCRIPT_RELATIVE + " above " + Path.of("").toAbsolutePath()
        + "; set -D" + SCRIPT_PROPERTY);
  }

  private static String run(Path script, String... args) {
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add(script.toString());
    command.addAll(List.of(args));
    String shown = "postfix-relay.sh " + args[0];
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      // drain while it runs so a chatty apt-get cannot block on a full pipe
      ByteArrayOutputStream output = new ByteArrayOutputStream();
      Thread drain = new Thread(() -> {
        try (InputStream in = process.getInputStream()) {
          in.transferTo(output);
        } catch (IOException ignored) {
          // the process is gone
        }
      }, "postfix-relay-output");
      drain.setDaemon(true);
      drain.start();
      if (!process.waitFor(SCRIPT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        drain.join(1_000);
        throw new IllegalStateException(shown + " did not finish within " + SCRIPT_TIMEOUT + ":\n" + text(output));
      }
      drain.join(10_000);
      String text = text(output);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(shown + " failed (exit " + process.exitValue() + "):\n" + text);
      }
      return text;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(shown + " interrupted", e);
    }
  }

  private static String text(ByteArrayOutputStream output) {
    synchronized (output) {
      return output.toString(StandardCharsets.UTF_8);
    }
  }
}
