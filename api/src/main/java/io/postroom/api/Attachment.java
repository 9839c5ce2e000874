package io.postroom.api;

import java.util.Arrays;
import java.util.Objects;

/** A file sent with a job; {@code data} holds the decoded bytes. */
public record Attachment(String filename, String contentType, byte[] data) {

  @Override
  public boolean equals(Object other) {
    return other instanceof Attachment a && filename.equals(a.filename) && contentType.equals(a.contentType)
        && Arrays.equals(data, a.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(filename, contentType, Arrays.hashCode(data));
  }

  @Override
  public String toString() {
    return "Attachment[" + filename + ", " + contentType + ", " + data.length + " bytes]";
  }
}
