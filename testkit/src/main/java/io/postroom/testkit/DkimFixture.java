package io.postroom.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * DKIM keys in a tenant's key directory ({@code <dir>/<domain>/<selector>.pem}) and an independent
 * verifier: Debian's python3-dkim (dkimpy), run as {@code /usr/bin/python3} (the pyenv
 * {@code python3} on PATH lacks it) with {@code dkim/verify.py}, which serves the public keys
 * itself instead of asking DNS.
 */
public final class DkimFixture {
  public static final String PYTHON = "/usr/bin/python3";
  private final Path keysDir;
  private final Path work;
  /** The published TXT records: {@code <selector>._domainkey.<domain>} to base64 public key. */
  private final Map<String, String> published = new LinkedHashMap<>();

  private DkimFixture(Path keysDir, Path work) {
    this.keysDir = keysDir;
    this.work = work;
  }

  public static DkimFixture in(Path dir) {
    try {
      return new DkimFixture(Files.createDirectories(dir.resolve("keys")), Files.createDirectories(dir.resolve("verify")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the independent verifier can run here (CI installs python3-dkim). */
  public static boolean verifierInstalled() {
    try {
      return new ProcessBuilder(PYTHON, "-c", "import dkim").start().waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public Path keysDir() {
    return keysDir;
  }

  /**
   * A new RSA-2048 key as {@code <keysDir>/<domain>/<selector>.pem} (PKCS#8), its public key
   * published. Written under a temporary name and moved into place, as a deployment would.
   */
  public Path addKey(String domain, String selector) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair pair = generator.generateKeyPair();
      Path domainDir = Files.createDirectories(keysDir.resolve(domain));
      String pem = "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded())
          + "\n-----END PRIVATE KEY-----\n";
      Path temporary = Files.writeString(domainDir.resolve("." + selector + ".tmp"), pem);
      Path file = Files.move(temporary, domainDir.resolve(selector + ".pem"),
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      published.put(selector + "._domainkey." + domain, Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What dkimpy said about each message, and whether all verified. */
  public record Verdict(boolean allVerified, List<String> lines) {
    /** The selectors of the signatures dkimpy read, in message order. */
    public List<String> selectors() {
      return lines.stream().map(line -> line.substring(line.lastIndexOf("s=") + 2)).toList();
    }
  }

  /** Verifies each raw message with dkimpy against the published keys. */
  public Verdict verify(List<byte[]> messages) {
    try {
      Path script = work.resolve("verify.py");
      try (InputStream in = DkimFixture.class.getResourceAsStream("/dkim/verify.py")) {
        Files.write(script, in.readAllBytes());
      }
      List<String> command = new ArrayList<>(List.of(PYTHON, script.toString()));
      for (Map.Entry<String, String> record : published.entrySet()) {
        Path key = Files.writeString(work.resolve(record.getKey() + ".pub"), record.getValue());
        command.add(record.getKey() + "=" + key);
      }
      for (int i = 0; i < messages.size(); i++) {
        command.add(Files.write(work.resolve("message-" + i + ".eml"), messages.get(i)).toString());
      }
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("dkimpy did not finish within 60 s");
      }
      List<String> lines = output.lines().toList();
      if (lines.size() != messages.size() && process.exitValue() != 0) {
        throw new IllegalStateException("dkimpy failed: " + output);
      }
      return new Verdict(process.exitValue() == 0, lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
