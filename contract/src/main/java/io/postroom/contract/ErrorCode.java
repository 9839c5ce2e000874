package io.postroom.contract;

/** Stable codes of what can be wrong with a job; they appear in {@code postroom-error-code}. */
public enum ErrorCode {
  /** Not JSON, not a JSON object, or not UTF-8. */
  INVALID_JSON,
  /** A required field is absent or null. */
  MISSING_FIELD,
  /** A field has the wrong type or an unusable value. */
  INVALID_FIELD,
  /** An e-mail address that is not one. */
  BAD_ADDRESS,
  /** CR, LF or NUL where a header line is made: the way to smuggle headers or SMTP commands. */
  HEADER_INJECTION,
  /** An attachment without a name or type, or whose data is not base64. */
  BAD_ATTACHMENT,
  /** The message would be larger than the relay accepts. */
  TOO_LARGE,
  /** Transient failures went on until the attempts ran out. */
  RETRIES_EXHAUSTED,
  /** {@code expiresAt} passed before the job could be sent. */
  EXPIRED,
  /** The relay refused the message for good (a 5xx reply). */
  RELAY_REJECTED,
  /** The template could not be rendered for this recipient: a variable is missing (named in the error). */
  RENDER_FAILED,
  /** The template does not compile, or uses what the sandbox refuses (partials, unescaped html). */
  BAD_TEMPLATE,
  /** The registered template named by templateRef does not exist. */
  TEMPLATE_NOT_FOUND,
  /** A recipient's key appears more than once in the same bulk job; only the first is sent. */
  DUPLICATE_KEY,
  /**
   * The From domain has no DKIM key configured for the tenant, and the tenant's policy is to refuse
   * unsigned mail rather than send it.
   */
  DKIM_NOT_CONFIGURED
}
