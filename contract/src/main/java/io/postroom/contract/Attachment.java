package io.postroom.contract;

import java.util.Arrays;
import java.util.Objects;

/** A file sent with a job; {@code data} holds the decoded bytes, not base64. */
public record Attachment(String filename, String contentType, byte[] data) {

  /** By content, because a record compares arrays by identity. */
  @Override
  public boolean equals(Object other) {
    return other instanceof Attachment a && Objects.equals(filename, a.filename)
        && Objects.equals(contentType, a.contentType) && Arrays.equals(data, a.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(filename, contentType, Arrays.hashCode(data));
  }

  /** Sizes instead of bytes, so that logging a job never dumps a file. */
  @Override
  public String toString() {
    return "Attachment[" + filename + ", " + contentType + ", " + (data == null ? 0 : data.length) + " bytes]";
  }
}
