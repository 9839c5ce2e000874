package io.postroom.contract;

import static io.postroom.contract.Jobs.minimal;
import static io.postroom.contract.Jobs.validate;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobValidatorTest {

  private static JsonObject without(String field) {
    JsonObject job = minimal();
    job.remove(field);
    return job;
  }

  @Test
  void minimalJobIsValid() {
    Validation v = validate(minimal());

    assertThat(v.valid()).isTrue();
    assertThat(v.violations()).isEmpty();
    assertThat(v.code()).isNull();
    assertThat(v.message()).isNull();
    assertThat(v.job().recipients()).extracting(Address::email).containsExactly("a@example.org");
  }

  @Test
  void validationCarriesIdAndTenantOfAValidJob() {
    Validation v = validate(minimal());

    assertThat(v.id()).isEqualTo("order-4711-confirmation");
    assertThat(v.tenant()).isEqualTo("billing");
  }

  @Test
  void priorityDefaultsToNormal() {
    assertThat(validate(minimal()).job().priority()).isEqualTo(Priority.NORMAL);
  }

  @Test
  void priorityIsReadInAnyCase() {
    assertThat(validate(minimal().put("priority", "BULK")).job().priority()).isEqualTo(Priority.BULK);
  }

  @Test
  void unknownFieldsAreIgnored() {
    assertThat(validate(minimal().put("campaignOwner", "someone")).valid()).isTrue();
  }

  @Test
  void headersAreEmptyNotNullWhenAbsent() {
    assertThat(validate(minimal()).job().headers()).isEmpty();
  }

  @Test
  void headersKeepTheirOrder() {
    JsonObject headers = new JsonObject().put("X-B", "2").put("X-A", "1").put("X-C", "3");

    assertThat(validate(minimal().put("headers", headers)).job().headers().keySet())
        .containsExactly("X-B", "X-A", "X-C");
  }

  @Test
  void recipientsCanBeOnlyInBcc() {
    Validation v = validate(minimal().put("to", new JsonArray()).put("bcc", new JsonArray().add("b@example.org")));

    assertThat(v.valid()).isTrue();
  }

  @Test
  void htmlAloneIsABody() {
    assertThat(validate(without("text").put("html", "<p>hi</p>")).valid()).isTrue();
  }

  @Test
  void emptySubjectIsAllowed() {
    assertThat(validate(minimal().put("subject", "")).valid()).isTrue();
  }

  @Test
  void timesWithAnOffsetAreReadAsInstants() {
    Validation v = validate(minimal().put("notBefore", "2026-11-22T15:30:00+05:30"));

    assertThat(v.job().notBefore()).isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
  }

  @Test
  void missingSubjectIsMissingField() {
    Validation v = validate(without("subject"));

    assertThat(v.code()).isEqualTo(ErrorCode.MISSING_FIELD);
    assertThat(v.violations()).singleElement().extracting(Violation::field).isEqualTo("subject");
  }

  @Test
  void nullSubjectIsMissingField() {
    assertThat(validate(minimal().putNull("subject")).code()).isEqualTo(ErrorCode.MISSING_FIELD);
  }

  @Test
  void missingIdIsMissingField() {
    Validation v = validate(without("id"));

    assertThat(v.code()).isEqualTo(ErrorCode.MISSING_FIELD);
    assertThat(v.violations().get(0).field()).isEqualTo("id");
    assertThat(v.id()).isNull();
  }

  @Test
  void missingTenantIsMissingField() {
    assertThat(validate(without("tenant")).code()).isEqualTo(ErrorCode.MISSING_FIELD);
  }

  @Test
  void blankTenantIsMissingField() {
    assertThat(validate(minimal().put("tenant", "  ")).code()).isEqualTo(ErrorCode.MISSING_FIELD);
  }

  @Test
  void missingFromIsMissingField() {
    Validation v = validate(without("from"));

    assertThat(v.code()).isEqualTo(ErrorCode.MISSING_FIELD);
    assertThat(v.violations().get(0).field()).isEqualTo("from");
  }

  @Test
  void noRecipientAtAllIsMissingFieldTo() {
    Validation v = validate(minimal().put("to", new JsonArray()));

    assertThat(v.code()).isEqualTo(ErrorCode.MISSING_FIELD);
    assertThat(v.violations().get(0).field()).isEqualTo("to");
    assertThat(v.message()).contains("no recipient").contains("to, cc or bcc");
  }

  @Test
  void noBodyIsMissingField() {
    Validation v = validate(without("text"));

    assertThat(v.code()).isEqualTo(ErrorCode.MISSING_FIELD);
    assertThat(v.message()).contains("no body");
  }

  @Test
  void nullBodiesAreMissingField() {
    assertThat(validate(minimal().putNull("text").putNull("html")).code()).isEqualTo(ErrorCode.MISSING_FIELD);
  }

  @Test
  void idLongerThan200CharactersIsInvalidField() {
    Validation v = validate(minimal().put("id", "x".repeat(201)));

    assertThat(v.code()).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(v.message()).contains("200");
  }

  @Test
  void idOf200CharactersIsValid() {
    assertThat(validate(minimal().put("id", "x".repeat(200))).valid()).isTrue();
  }

  @Test
  void idWithAControlCharacterIsInvalidField() {
    Validation v = validate(minimal().put("id", "order\t4711"));

    assertThat(v.code()).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(v.id()).isNull();
  }

  @Test
  void tenantWithSpacesIsInvalidField() {
    Validation v = validate(minimal().put("tenant", "billing dept"));

    assertThat(v.code()).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(v.tenant()).isNull();
  }

  @Test
  void tenantLongerThan100CharactersIsInvalidField() {
    assertThat(validate(minimal().put("tenant", "t".repeat(101))).code()).isEqualTo(ErrorCode.INVALID_FIELD);
  }

  @Test
  void recipientsAsAStringIsInvalidFieldNamingTheField() {
    Validation v = validate(minimal().put("to", "a@example.org"));

    assertThat(v.code()).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(v.violations()).singleElement().extracting(Violation::field).isEqualTo("to");
    assertThat(v.message()).contains("to must be an array");
  }

  @Test
  void recipientThatIsNotAStringIsInvalidFieldNamingItsIndex() {
    Validation v = validate(minimal().put("cc", new JsonArray().add("c@example.org").add(42)));

    assertThat(v.code()).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(v.violations().get(0).field()).isEqualTo("cc[1]");
  }

  @Test
  void subjectThatIsNotAStringIsInvalidField() {
    Validation v = validate(minimal().put("subject", 42));

    assertThat(v.code()).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(v.message()).contains("subject must be a string, not a number");
  }

  @Test
  void headersThatAreNotAnObjectAreInvalidField() {
    assertThat(validate(minimal().put("headers", new JsonArray().add("X-A: 1"))).code())
        .isEqualTo(ErrorCode.INVALID_FIELD);
  }

  @Test
  void unknownPriorityIsInvalidField() {
    Validation v = validate(minimal().put("priority", "urgent"));

    assertThat(v.code()).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(v.violations().get(0).field()).isEqualTo("priority");
    assertThat(v.message()).contains("urgent").contains("high, normal, bulk");
  }

  @Test
  void notBeforeThatIsNotATimeIsInvalidField() {
    Validation v = validate(minimal().put("notBefore", "tomorrow"));

    assertThat(v.code()).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(v.violations().get(0).field()).isEqualTo("notBefore");
    assertThat(v.message()).contains("ISO-8601");
  }

  @Test
  void timeWithoutAnOffsetIsInvalidField() {
    assertThat(validate(minimal().put("expiresAt", "2026-11-22T10:00:00")).code()).isEqualTo(ErrorCode.INVALID_FIELD);
  }

  @Test
  void expiryBeforeNotBeforeIsInvalidField() {
    Validation v = validate(minimal().put("notBefore", "2026-11-23T10:00:00Z").put("expiresAt", "2026-11-22T10:00:00Z"));

    assertThat(v.code()).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(v.violations().get(0).field()).isEqualTo("expiresAt");
  }

  @Test
  void addressWithoutDomainIsBadAddressNamingTheField() {
    Validation v = validate(minimal().put("to", new JsonArray().add("a@example.org").add("c@example.org").add("bob@")));

    assertThat(v.code()).isEqualTo(ErrorCode.BAD_ADDRESS);
    assertThat(v.violations().get(0).field()).isEqualTo("to[2]");
    assertThat(v.message()).isEqualTo("to[2] \"bob@\" is not a valid e-mail address: the domain is missing");
  }

  @Test
  void badSenderIsBadAddress() {
    Validation v = validate(minimal().put("from", "root@localhost"));

    assertThat(v.code()).isEqualTo(ErrorCode.BAD_ADDRESS);
    assertThat(v.violations().get(0).field()).isEqualTo("from");
  }

  @Test
  void badReplyToIsBadAddress() {
    assertThat(validate(minimal().put("replyTo", "help at example.org")).code()).isEqualTo(ErrorCode.BAD_ADDRESS);
  }

  @Test
  void internationalisedAddressIsBadAddressSayingSmtpUtf8IsNotSupported() {
    Validation v = validate(minimal().put("to", new JsonArray().add("müller@example.de")));

    assertThat(v.code()).isEqualTo(ErrorCode.BAD_ADDRESS);
    assertThat(v.message()).contains("SMTPUTF8").contains("not supported");
  }

  @Test
  void displayNameAddressesAreRead() {
    Validation v = validate(minimal()
        .put("from", "Billing <noreply@example.gov.in>")
        .put("to", new JsonArray().add("\"Doe, Jane\" <jane@example.org>")));

    assertThat(v.job().from()).isEqualTo(new Address("Billing", "noreply@example.gov.in"));
    assertThat(v.job().to()).containsExactly(new Address("Doe, Jane", "jane@example.org"));
  }

  @Test
  void badRecipientsDoNotAlsoCountAsNoRecipient() {
    Validation v = validate(minimal().put("to", new JsonArray().add("bob@")));

    assertThat(v.violations()).extracting(Violation::code).containsExactly(ErrorCode.BAD_ADDRESS);
  }

  @Test
  void allViolationsAreReportedTogether() {
    JsonObject job = without("tenant")
        .put("to", new JsonArray().add("bob@"))
        .put("subject", "a\r\nBcc: x@example.org")
        .put("priority", "urgent");

    Validation v = validate(job);

    assertThat(v.violations()).extracting(Violation::code).containsExactly(
        ErrorCode.MISSING_FIELD, ErrorCode.BAD_ADDRESS, ErrorCode.HEADER_INJECTION, ErrorCode.INVALID_FIELD);
    assertThat(v.violations()).extracting(Violation::field).containsExactly("tenant", "to[0]", "subject", "priority");
  }

  @Test
  void codeIsTheFirstViolationsCode() {
    Validation v = validate(without("tenant").put("to", new JsonArray().add("bob@")));

    assertThat(v.code()).isEqualTo(ErrorCode.MISSING_FIELD);
  }

  @Test
  void messageJoinsEveryViolationsMessage() {
    Validation v = validate(without("tenant").put("to", new JsonArray().add("bob@")));

    assertThat(v.message()).isEqualTo(v.violations().get(0).message() + "; " + v.violations().get(1).message());
  }

  @Test
  void invalidJobHasNoJobButItsIdAndTenant() {
    Validation v = validate(without("subject").put("to", new JsonArray().add("bob@")));

    assertThat(v.valid()).isFalse();
    assertThat(v.job()).isNull();
    assertThat(v.id()).isEqualTo("order-4711-confirmation");
    assertThat(v.tenant()).isEqualTo("billing");
  }

  @Test
  void violationsCannotBeChanged() {
    Validation v = validate(without("subject"));

    assertThat(v.violations()).isUnmodifiable();
  }

  @Test
  void validatingAJsonObjectDirectlyGivesTheSameResult() {
    assertThat(Jobs.VALIDATOR.validate(Jobs.full())).isEqualTo(validate(Jobs.full()));
  }
}
