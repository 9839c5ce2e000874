package io.postroom.contract;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An estimate, on the high side, of the size of the MIME message the relay will receive, so that a
 * job too large for the relay is refused up front instead of being answered 552 after the upload.
 * Accepts missing parts, so that the validator can size a job that has other faults too.
 */
final class MessageSize {
  /** Date, Message-ID, MIME-Version, top-level Content-Type and the relay's own Received lines. */
  private static final int HEADER_BLOCK = 1_024;
  /** A boundary line plus the part's own headers. */
  private static final int PART = 256;
  /** Longest encoded line allowed by RFC 2045, without its CRLF. */
  private static final int LINE = 76;
  private static final int CRLF = 2;
  /** Quoted-printable or an encoded word can triple every byte: the worst case. */
  private static final int ENCODED = 3;

  private long bytes = HEADER_BLOCK;

  MessageSize address(Address address) {
    if (address != null) {
      bytes += utf8(address.toString()) * ENCODED + ", ".length();
    }
    return this;
  }

  MessageSize header(String name, String value) {
    if (name != null && value != null) {
      bytes += name.length() + ": ".length() + utf8(value) * ENCODED + CRLF;
    }
    return this;
  }

  /** A text or html part written as quoted-printable. */
  MessageSize body(String body) {
    if (body != null) {
      bytes += PART + quotedPrintable(body.getBytes(StandardCharsets.UTF_8));
    }
    return this;
  }

  /** An attachment part written as base64 in lines of 76 characters. */
  MessageSize attachment(String filename, String contentType, int dataBytes) {
    long base64 = 4L * ((dataBytes + 2) / 3);
    long lines = (base64 + LINE - 1) / LINE;
    bytes += PART + base64 + lines * CRLF;
    if (filename != null) {
      // Named twice: in Content-Type's name= and in Content-Disposition's filename=.
      bytes += 2L * utf8(filename) * ENCODED;
    }
    if (contentType != null) {
      bytes += contentType.length();
    }
    return this;
  }

  long bytes() {
    return bytes;
  }

  static long of(Job job) {
    MessageSize size = new MessageSize().address(job.from()).address(job.replyTo())
        .header("Subject", job.subject()).body(job.text()).body(job.html());
    job.recipients().forEach(size::address);
    job.headers().forEach(size::header);
    job.attachments().forEach(a -> size.attachment(a.filename(), a.contentType(), a.data().length));
    return size.bytes();
  }

  /** A size as a person reads it: "512 bytes", "12.3 KB", "41.2 MB" (binary units, as relays state them). */
  static String describe(long bytes) {
    if (bytes < 1024) {
      return bytes + " bytes";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
  }

  /**
   * Printable ASCII other than '=' stays one byte, everything else becomes =XX; whitespace that
   * ends a line is encoded too, each line ends in CRLF and long lines get soft breaks "=\r\n".
   */
  private static long quotedPrintable(byte[] body) {
    long total = 0;
    long line = 0;
    long trailingWhitespace = 0;
    for (int i = 0; i < body.length; i++) {
      byte b = body[i];
      if (b == '\r' && i + 1 < body.length && body[i + 1] == '\n') {
        continue;
      }
      if (b == '\n') {
        total += endOfLine(line, trailingWhitespace);
        line = 0;
        trailingWhitespace = 0;
        continue;
      }
      boolean whitespace = b == ' ' || b == '\t';
      line += whitespace || (b > ' ' && b < 127 && b != '=') ? 1 : ENCODED;
      trailingWhitespace = whitespace ? trailingWhitespace + 1 : 0;
    }
    return total + endOfLine(line, trailingWhitespace);
  }

  private static long endOfLine(long line, long trailingWhitespace) {
    long encoded = line + trailingWhitespace * (ENCODED - 1);
    long softBreaks = encoded / (LINE - 1);
    return encoded + softBreaks * (1 + CRLF) + CRLF;
  }

  private static long utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
