package io.postroom.contract.compliance;

import java.util.Locale;

/**
 * What came back about a sent mail, as the {@code kind} of a {@code BOUNCED} or {@code COMPLAINED}
 * event. Only {@link #HARD} and {@link #COMPLAINT} suppress at once; {@link #SOFT} ones do after
 * several within a window; {@link #POLICY} (the receiver refused the <em>sender</em>: DMARC,
 * reputation, a block list) never does: the recipient is fine, the sender must fix something.
 */
public enum BounceKind {
  HARD,
  SOFT,
  POLICY,
  COMPLAINT;

  /** The name in JSON: {@code hard}, {@code soft}, {@code policy}, {@code complaint}. */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws IllegalArgumentException for another name */
  public static BounceKind fromJsonName(String name) {
    for (BounceKind kind : values()) {
      if (kind.jsonName().equals(name)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("'" + name + "' is not a bounce kind (hard, soft, policy, complaint)");
  }
}
