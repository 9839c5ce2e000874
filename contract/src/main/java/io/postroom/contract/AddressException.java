package io.postroom.contract;

/** A string that is not a usable e-mail address; the message says why. */
public final class AddressException extends IllegalArgumentException {
  public AddressException(String message) {
    super(message);
  }
}
