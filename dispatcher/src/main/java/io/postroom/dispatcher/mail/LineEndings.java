package io.postroom.dispatcher.mail;

/**
 * Canonical line endings for bodies. The mail client writes {@code \n} as CRLF, but sends a bare
 * {@code \r} as quoted-printable {@code =0D} and would pass odd mixtures on: every CRLF, lone CR and
 * lone LF becomes one {@code \n} here, so the relay sees only CRLF line ends and no
 * {@code <LF>.<CR><LF>}-style sequence can end the DATA phase early (SMTP smuggling).
 */
public final class LineEndings {
  private LineEndings() {
  }

  public static String canonical(String body) {
    if (body == null || body.indexOf('\r') < 0) {
      return body;
    }
    return body.replace("\r\n", "\n").replace('\r', '\n');
  }
}
