package io.postroom.contract.bulk;

import static io.postroom.contract.bulk.BulkJobs.asha;
import static io.postroom.contract.bulk.BulkJobs.entries;
import static io.postroom.contract.bulk.BulkJobs.ravi;
import static io.postroom.contract.bulk.BulkJobs.read;
import static io.postroom.contract.bulk.BulkJobs.recipient;
import static io.postroom.contract.bulk.BulkJobs.statement;
import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.ErrorCode;
import io.postroom.contract.Violation;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecipientCheckTest {

  private static RecipientProblem problem(RecipientEntry entry) {
    assertThat(entry).isInstanceOf(RecipientProblem.class);
    return (RecipientProblem) entry;
  }

  @Test
  void recipientsAreReadInOrderWithTheirVars() {
    List<RecipientEntry> entries = entries(read(statement(asha(), ravi())));

    assertThat(entries).extracting(RecipientEntry::key).containsExactly("c-1001", "c-1002");
    Recipient asha = (Recipient) entries.get(0);
    assertThat(asha.to().email()).isEqualTo("asha@example.org");
    assertThat(asha.vars().asMap()).containsEntry("name", "Asha");
    assertThat(asha.index()).isZero();
  }

  @Test
  void aBadAddressIsReportedForThatRecipientOnly() {
    List<RecipientEntry> entries = entries(read(statement(asha(), recipient("c-2", "asha@", new JsonObject()), ravi())));

    assertThat(entries.get(0)).isInstanceOf(Recipient.class);
    RecipientProblem problem = problem(entries.get(1));
    assertThat(problem.code()).isEqualTo(ErrorCode.BAD_ADDRESS);
    assertThat(problem.violations()).extracting(Violation::field).containsExactly("recipients[1].to");
    assertThat(problem.key()).isEqualTo("c-2");
    assertThat(entries.get(2)).isInstanceOf(Recipient.class);
  }

  @Test
  void aLineBreakInAnAddressIsHeaderInjection() {
    RecipientEntry entry = entries(read(statement(recipient("c-1", "a@example.org\r\nBcc: x@example.org",
        new JsonObject())))).get(0);

    assertThat(problem(entry).code()).isEqualTo(ErrorCode.HEADER_INJECTION);
  }

  @Test
  void aMissingKeyIsReported() {
    JsonObject noKey = asha();
    noKey.remove("key");

    RecipientProblem problem = problem(entries(read(statement(noKey))).get(0));

    assertThat(problem.code()).isEqualTo(ErrorCode.MISSING_FIELD);
    assertThat(problem.violations()).extracting(Violation::field).containsExactly("recipients[0].key");
    assertThat(problem.key()).isNull();
  }

  @Test
  void aKeyTooLongForTheJobIdIsReported() {
    // pension-statement-2026-12 is 25 characters: 25 + "/" + 174 = 200
    List<RecipientEntry> entries = entries(read(statement(
        recipient("k".repeat(174), "a@example.org", new JsonObject().put("name", "A").put("amount", 1)),
        recipient("k".repeat(175), "a@example.org", new JsonObject()))));

    assertThat(entries.get(0)).isInstanceOf(Recipient.class);
    assertThat(problem(entries.get(1)).message()).contains("at most 174");
  }

  @Test
  void aKeyWithAControlCharacterIsReported() {
    assertThat(problem(entries(read(statement(recipient("c\u00071", "a@example.org", new JsonObject())))).get(0))
        .code()).isEqualTo(ErrorCode.INVALID_FIELD);
  }

  @Test
  void aDuplicateKeyIsReportedAndTheFirstIsKept() {
    JsonObject again = ravi().put("key", "c-1001");

    List<RecipientEntry> entries = entries(read(statement(asha(), ravi(), again)));

    assertThat(entries.get(0)).isInstanceOf(Recipient.class);
    assertThat(entries.get(1)).isInstanceOf(Recipient.class);
    RecipientProblem duplicate = problem(entries.get(2));
    assertThat(duplicate.code()).isEqualTo(ErrorCode.DUPLICATE_KEY);
    assertThat(duplicate.index()).isEqualTo(2);
  }

  @Test
  void aRecipientThatIsNotAnObjectIsReported() {
    JsonObject bulk = statement(asha());
    bulk.getJsonArray("recipients").add("ravi@example.org");

    RecipientProblem problem = problem(entries(read(bulk)).get(1));

    assertThat(problem.violations()).extracting(Violation::field).containsExactly("recipients[1]");
  }

  @Test
  void duplicateKeysAreFoundAmongManyKeys() {
    DuplicateKeys keys = new DuplicateKeys();
    for (int i = 0; i < 100_000; i++) {
      assertThat(keys.firstTime("c-" + i)).isTrue();
    }

    assertThat(keys.firstTime("c-4711")).isFalse();
    assertThat(keys.firstTime("c-100000")).isTrue();
  }
}
