package io.postroom.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ProblemTest {

  private final Problem problem =
      Problem.of(422, "invalid-job", "The job is not valid", "Fix the fields listed in errors.");

  @Test
  void typeIsAPostroomProblemUrnEndingInTheSlug() {
    assertThat(problem.toJson().getString("type")).isEqualTo("urn:postroom:problem:invalid-job");
    assertThat(problem.type()).isEqualTo("urn:postroom:problem:invalid-job");
  }

  @Test
  void jsonHasTitleStatusAndDetail() {
    JsonObject json = problem.toJson();

    assertThat(json.getString("title")).isEqualTo("The job is not valid");
    assertThat(json.getInteger("status")).isEqualTo(422);
    assertThat(json.getString("detail")).isEqualTo("Fix the fields listed in errors.");
    assertThat(problem.status()).isEqualTo(422);
  }

  @Test
  void aPlainProblemHasOnlyTheFourStandardMembers() {
    assertThat(problem.toJson().fieldNames()).containsExactlyInAnyOrder("type", "title", "status", "detail");
  }

  @Test
  void withErrorsAddsTheErrors() {
    JsonArray errors = new JsonArray()
        .add(new JsonObject().put("code", "required").put("field", "to").put("message", "to is missing"));

    JsonObject json = problem.withErrors(errors).toJson();

    assertThat(json.getJsonArray("errors")).isEqualTo(errors);
    assertThat(json.getString("type")).isEqualTo("urn:postroom:problem:invalid-job");
  }

  @Test
  void withAddsAnExtensionMember() {
    JsonObject json = problem.with("accepted", 3).toJson();

    assertThat(json.getInteger("accepted")).isEqualTo(3);
    assertThat(json.getInteger("status")).isEqualTo(422);
  }

  @Test
  void withLeavesTheOriginalUnchanged() {
    Problem extended = problem.with("accepted", 3);

    assertThat(extended).isNotSameAs(problem);
    assertThat(problem.toJson().containsKey("accepted")).isFalse();
  }

  @Test
  void withErrorsLeavesTheOriginalUnchanged() {
    problem.withErrors(new JsonArray().add("x"));

    assertThat(problem.toJson().containsKey("errors")).isFalse();
  }

  @Test
  void changingTheJsonGivenOutDoesNotChangeTheProblem() {
    problem.toJson().put("status", 500).put("extra", true);

    assertThat(problem.status()).isEqualTo(422);
    assertThat(problem.toJson().containsKey("extra")).isFalse();
  }

  @Test
  void contentTypeIsProblemJson() {
    assertThat(Problem.CONTENT_TYPE).isEqualTo("application/problem+json");
  }
}
