package io.postroom.contract.process;

/**
 * Why a process could not start, in one sentence that names the cause and what to do about it:
 * printed as it is, as the process's last line, never with a stack trace.
 */
public final class StartFailure extends RuntimeException {
  public StartFailure(String sentence) {
    super(sentence, null, false, false);
  }

  /** The sentence of a start failure, or of anything else that ended the start: its own words. */
  public static String sentence(Throwable error) {
    for (Throwable e = error; e != null; e = e.getCause()) {
      if (e instanceof StartFailure) {
        return e.getMessage();
      }
    }
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.lines().findFirst().orElse(message);
  }
}
