package io.postroom.dispatcher.relay;

import io.postroom.dispatcher.dkim.DkimKey;

/**
 * The DKIM signature of a mail could not be made, so the mail was not sent: neither the relay's
 * fault nor the message's. {@link FailureClassifier} makes it a transient failure (the job is tried
 * again and, if it never signs, ends FAILED with RETRIES_EXHAUSTED and a dead letter); the relay's
 * health is not touched.
 */
public final class DkimSigningException extends RuntimeException {
  DkimSigningException(DkimKey key, Throwable cause) {
    // the key's file and selector, never the key; the cause's own words, without its stack
    super("DKIM signing with selector " + key.selector() + " of " + key.domain() + " (" + key.file() + ") failed: "
        + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), null,
        false, false);
  }

  /**
   * Whether vertx-mail-client's signer threw ("Cannot sign email", or anything thrown from its
   * {@code DKIMSigner}). Not "any security exception": a refused TLS certificate is one too, and
   * that is the relay's.
   */
  static boolean causedBySigning(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if ("Cannot sign email".equals(t.getMessage()) || "Failed to init the Signature".equals(t.getMessage())) {
        return true;
      }
      for (StackTraceElement frame : t.getStackTrace()) {
        if (frame.getClassName().equals("io.vertx.ext.mail.impl.dkim.DKIMSigner")) {
          return true;
        }
      }
    }
    return false;
  }
}
