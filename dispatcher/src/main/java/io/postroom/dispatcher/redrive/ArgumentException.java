package io.postroom.dispatcher.redrive;

/** A command-line argument that cannot be used; the message names the argument and what is allowed. */
public final class ArgumentException extends RuntimeException {
  private final String argument;

  public ArgumentException(String argument, String problem) {
    super(argument + ": " + problem);
    this.argument = argument;
  }

  public String argument() {
    return argument;
  }
}
