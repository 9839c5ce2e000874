package io.postroom.contract.bulk;

import static io.postroom.contract.bulk.BulkJobs.asha;
import static io.postroom.contract.bulk.BulkJobs.entries;
import static io.postroom.contract.bulk.BulkJobs.ravi;
import static io.postroom.contract.bulk.BulkJobs.read;
import static io.postroom.contract.bulk.BulkJobs.recipient;
import static io.postroom.contract.bulk.BulkJobs.statement;
import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.ErrorCode;
import io.postroom.contract.Job;
import io.postroom.contract.JobValidator;
import io.postroom.contract.StatusEvent;
import io.postroom.contract.Validation;
import io.postroom.contract.template.MailTemplate;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecipientJobsTest {
  private static final JobValidator VALIDATOR = new JobValidator(JobValidator.DEFAULT_MAX_MESSAGE_BYTES);

  private static List<Validation> expand(JsonObject bulkJson) {
    BulkReading reading = read(bulkJson);
    BulkJob bulk = reading.job();
    MailTemplate template = bulk.template().inline();
    return entries(reading).stream().map(entry -> entry instanceof Recipient r
        ? VALIDATOR.render(bulk.jobJson(r), template, r.vars())
        : RecipientJobs.rejected(bulk, (RecipientProblem) entry)).toList();
  }

  @Test
  void aRecipientBecomesAJobWithIdBulkIdSlashKey() {
    Job job = expand(statement(asha())).get(0).job();

    assertThat(job.id()).isEqualTo("pension-statement-2026-12/c-1001");
    assertThat(job.bulkId()).isEqualTo("pension-statement-2026-12");
    assertThat(job.key()).isEqualTo("c-1001");
  }

  @Test
  void theJobHasTheBulksFieldsAndTheRecipientsAddress() {
    Job job = expand(statement(asha()).put("replyTo", "help@example.gov.in").put("expiresAt", "2026-12-31T00:00:00Z"))
        .get(0).job();

    assertThat(job.tenant()).isEqualTo("pensions");
    assertThat(job.from().toString()).isEqualTo("Pensions <noreply@example.gov.in>");
    assertThat(job.replyTo().email()).isEqualTo("help@example.gov.in");
    assertThat(job.to()).extracting(a -> a.email()).containsExactly("asha@example.org");
    assertThat(job.expiresAt()).isEqualTo(Instant.parse("2026-12-31T00:00:00Z"));
  }

  @Test
  void theJobIsRenderedWithTheRecipientsVars() {
    List<Validation> jobs = expand(statement(asha(), ravi()));

    assertThat(jobs.get(0).job().subject()).isEqualTo("Your statement, Asha");
    assertThat(jobs.get(1).job().text()).isEqualTo("Dear Ravi, you were paid 900.");
  }

  @Test
  void aMissingVariableRejectsOnlyThatRecipientNamingIt() {
    List<Validation> jobs = expand(statement(asha(), recipient("c-3", "c@example.org",
        new JsonObject().put("name", "C")), ravi()));

    assertThat(jobs.get(0).valid()).isTrue();
    assertThat(jobs.get(1).code()).isEqualTo(ErrorCode.RENDER_FAILED);
    assertThat(jobs.get(1).message()).contains("amount");
    assertThat(jobs.get(1).id()).isEqualTo("pension-statement-2026-12/c-3");
    assertThat(jobs.get(2).valid()).isTrue();
  }

  @Test
  void aRejectedRecipientsEventCarriesBulkIdAndKey() {
    Validation rejected = expand(statement(recipient("c-3", "c@example.org", new JsonObject()))).get(0);

    StatusEvent event = StatusEvent.rejected(rejected, Instant.EPOCH);

    assertThat(event.id()).isEqualTo("pension-statement-2026-12/c-3");
    assertThat(event.bulkId()).isEqualTo("pension-statement-2026-12");
    assertThat(event.key()).isEqualTo("c-3");
    assertThat(event.errorCode()).isEqualTo(ErrorCode.RENDER_FAILED);
  }

  @Test
  void aLineBreakInTheSubjectFromAVariableIsHeaderInjectionForThatRecipient() {
    List<Validation> jobs = expand(statement(recipient("c-3", "c@example.org",
        new JsonObject().put("name", "C\r\nBcc: all@example.org").put("amount", 1)), asha()));

    assertThat(jobs.get(0).code()).isEqualTo(ErrorCode.HEADER_INJECTION);
    assertThat(jobs.get(1).valid()).isTrue();
  }

  @Test
  void aValueWithTagsAndMarkupIsInert() {
    Job job = expand(statement(recipient("c-3", "c@example.org",
        new JsonObject().put("name", "{{amount}}<script>x</script>").put("amount", "1")))).get(0).job();

    assertThat(job.subject()).isEqualTo("Your statement, {{amount}}<script>x</script>");
    assertThat(job.html()).isEqualTo("<p>Dear {{amount}}&lt;script&gt;x&lt;/script&gt;</p>");
  }

  @Test
  void aBadAddressIsARejectedJobWithItsOwnId() {
    Validation rejected = expand(statement(recipient("c-3", "nobody", new JsonObject()))).get(0);

    assertThat(rejected.code()).isEqualTo(ErrorCode.BAD_ADDRESS);
    assertThat(rejected.id()).isEqualTo("pension-statement-2026-12/c-3");
  }

  @Test
  void aDuplicateKeyGetsNoIdSoTheFirstRecipientsJobKeepsItsOneTerminalState() {
    Validation duplicate = expand(statement(asha(), ravi().put("key", "c-1001"))).get(1);

    assertThat(duplicate.code()).isEqualTo(ErrorCode.DUPLICATE_KEY);
    assertThat(duplicate.id()).isNull();
    assertThat(duplicate.key()).isEqualTo("c-1001");
  }
}
