package io.postroom.dispatcher.config;

import java.nio.file.Path;

/**
 * A tenant's DKIM signing: where its keys are, and what becomes of a job whose From domain has
 * none. docs/dkim.md describes the key layout.
 *
 * @param keysDir {@code <keysDir>/<domain>/<selector>.pem}, PKCS#8 RSA keys of 2048 bits or more
 */
public record TenantDkim(Path keysDir, WhenMissing whenMissing) {

  /** What becomes of a job of this tenant whose From domain has no key. */
  public enum WhenMissing {
    /** Sent unsigned, counted in {@code postroom_dkim_unsigned_total}, with a warning now and then. */
    SEND,
    /** {@code REJECTED} with {@code DKIM_NOT_CONFIGURED}, and dead-lettered. */
    REJECT;

    static WhenMissing parse(String key, Object value) {
      if (value == null) {
        return SEND;
      }
      return switch (String.valueOf(value).trim()) {
        case "send" -> SEND;
        case "reject" -> REJECT;
        default -> throw new io.postroom.contract.config.ConfigException(key,
            "'" + value + "' is not one of: send, reject");
      };
    }
  }
}
