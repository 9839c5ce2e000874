package io.postroom.dispatcher.compliance;

import io.postroom.contract.Address;
import io.postroom.contract.Job;
import io.postroom.contract.compliance.BounceToken;
import io.postroom.contract.compliance.TokenKeys;
import io.postroom.contract.compliance.UnsubscribeToken;
import io.postroom.contract.config.ComplianceSection;
import io.postroom.dispatcher.config.TenantConfig;
import io.vertx.ext.mail.MailMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What Postroom adds to a mail so that it is welcome at the big mailbox providers, in one place:
 *
 * <ul>
 *   <li>the one-click unsubscribe of RFC 8058 on bulk-priority mail and on any job that names its
 *       stream: {@code List-Unsubscribe: <https://…/u/{token}>, <mailto:…?subject=unsubscribe%20{token}>}
 *       and {@code List-Unsubscribe-Post: List-Unsubscribe=One-Click} (the Post header only with an
 *       https link: RFC 8058 §3.1). The token is sealed for the job's tenant, stream and recipient,
 *       so a job needs exactly one recipient to carry it: a mail to several people cannot say whose
 *       link it is;
 *   <li>the VERP envelope sender {@code bounces+<token>@<tenant bounce domain>}, which brings a
 *       bounce back to the bounce mailbox naming the job (the visible From is untouched).
 * </ul>
 *
 * Without token keys neither is added (the dispatcher says so at start). DKIM signs these headers
 * with the rest.
 */
public final class MailMarks {
  public static final String LIST_UNSUBSCRIBE = "List-Unsubscribe";
  public static final String LIST_UNSUBSCRIBE_POST = "List-Unsubscribe-Post";
  private static final String ONE_CLICK = "List-Unsubscribe=One-Click";

  private final ComplianceSection compliance;
  private final Function<String, TenantConfig> tenants;

  /** @param tenants the configuration of a tenant by name (with the default bounce domain applied) */
  public MailMarks(ComplianceSection compliance, Function<String, TenantConfig> tenants) {
    this.compliance = compliance;
    this.tenants = tenants;
  }

  /** Marks the messages of one job (all its SMTP transactions carry the same marks). */
  public void mark(List<MailMessage> messages, Job job, String messageId) {
    TokenKeys keys = compliance.tokenKeys();
    if (keys == null) {
      return;
    }
    String bounceDomain = tenants.apply(job.tenant()).bounceDomain();
    String envelopeSender = bounceDomain == null ? null
        : BounceToken.address(keys, messageId, bounceDomain).orElse(null);
    String[] unsubscribe = unsubscribeHeaders(keys, job);
    for (MailMessage message : messages) {
      if (envelopeSender != null) {
        message.setBounceAddress(envelopeSender);
      }
      if (unsubscribe != null) {
        message.getHeaders().set(LIST_UNSUBSCRIBE, unsubscribe[0]);
        if (unsubscribe[1] != null) {
          message.getHeaders().set(LIST_UNSUBSCRIBE_POST, unsubscribe[1]);
        }
      }
    }
  }

  /** The List-Unsubscribe value and the List-Unsubscribe-Post value (or null), or null for none. */
  private String[] unsubscribeHeaders(TokenKeys keys, Job job) {
    if (!job.offersUnsubscribe()) {
      return null;
    }
    List<Address> recipients = job.recipients();
    if (recipients.size() != 1) {
      return null;
    }
    String link = compliance.unsubscribeBaseUrl();
    String mailto = compliance.unsubscribeMailto();
    if (link == null && mailto == null) {
      return null;
    }
    String token = new UnsubscribeToken(job.tenant(), job.stream(), recipients.get(0).email()).seal(keys);
    List<String> uris = new ArrayList<>(2);
    if (link != null) {
      uris.add("<" + link + "/u/" + token + ">");
    }
    if (mailto != null) {
      uris.add("<mailto:" + mailto + "?subject=unsubscribe%20" + token + ">");
    }
    return new String[] {String.join(", ", uris), link == null ? null : ONE_CLICK};
  }
}
