package io.postroom.dispatcher.mail;

import io.postroom.contract.Job;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The Message-ID of a job: {@code <base36(record timestamp ms).base36(first 64 bits of
 * SHA-256(tenant, id))@sender-domain>}. Derived, never stored: every attempt, and every re-read of
 * the same record after a crash, carries the same Message-ID, so a copy delivered twice can be told
 * for what it is by receivers and in the relay's logs. Tenants are hashed in so that two upstream
 * systems using the same id never share a Message-ID.
 */
public final class MessageIds {
  /** One digest per thread, reset after each use: looking one up costs more than the hash itself. */
  private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  });

  private MessageIds() {
  }

  public static String forJob(Job job, long recordTimestampMs) {
    return "<" + Long.toString(Math.max(0, recordTimestampMs), 36) + "." + Long.toUnsignedString(digest(job), 36)
        + "@" + job.from().domain() + ">";
  }

  private static long digest(Job job) {
    MessageDigest sha256 = SHA_256.get();
    sha256.update(job.tenant().getBytes(StandardCharsets.UTF_8));
    sha256.update((byte) 0); // a separator no tenant contains: ("ab","c") and ("a","bc") differ
    sha256.update(job.id().getBytes(StandardCharsets.UTF_8));
    // digest() resets it for the next job
    return ByteBuffer.wrap(sha256.digest()).getLong();
  }
}
