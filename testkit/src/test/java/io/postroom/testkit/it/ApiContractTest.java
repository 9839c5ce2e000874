package io.postroom.testkit.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.testkit.IntegrationTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import io.vertx.junit5.VertxExtension;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The api's {@code /openapi.yaml} is true: real requests are valid against its request schemas, and
 * the real answers (success and every kind of refusal) against its response schemas, status codes
 * and content types, as checked by vertx-openapi's validator.
 */
@IntegrationTest
@ExtendWith(VertxExtension.class)
class ApiContractTest {
  private static final String PROBLEM_JSON = "application/problem+json";
  private ApiFixture api;
  private OpenAPIContract contract;
  private ResponseValidator responses;
  private final List<String> violations = new ArrayList<>();

  @TempDir
  Path dir;

  @BeforeEach
  void startApiAndReadItsContract(Vertx vertx) throws IOException {
    api = ApiFixture.start(vertx, dir);
    HttpResponse<String> yaml = api.get(null, "/openapi.yaml");
    assertThat(yaml.statusCode()).isEqualTo(200);
    Map<String, Object> document = new org.yaml.snakeyaml.Yaml().load(yaml.body());
    // vertx-openapi 5.0.8 validates only some media types: the problem documents are checked as the
    // JSON they are, and the YAML of /openapi.yaml, the CSV of a bulk upload, the one-click's form and
    // the unsubscribe page as text
    String forValidator = new JsonObject(document).encode()
        .replace(PROBLEM_JSON, "application/json").replace("application/yaml", "text/plain")
        .replace("text/csv", "text/plain").replace("text/html", "text/plain")
        .replace("application/x-www-form-urlencoded", "text/plain")
        // and it cannot check a text body against {type: string}: such a body is taken as it is
        .replace("\"text/plain\":{\"schema\":{\"type\":\"string\"}}",
            "\"text/plain\":{\"schema\":{\"type\":\"string\",\"format\":\"binary\"}}");
    contract = Pipeline.await(OpenAPIContract.from(vertx, new JsonObject(forValidator)));
    responses = ResponseValidator.create(vertx, contract);
  }

  @AfterEach
  void tearDown() {
    if (api != null) {
      api.close();
    }
  }

  /** The answer against the operation's responses. */
  private void check(String operationId, HttpResponse<String> response) {
    Map<String, String> headers = new HashMap<>();
    response.headers().map().forEach((name, values) -> headers.put(name, values.get(0)));
    String contentType = response.headers().firstValue("Content-Type")
        .map(type -> type.equals(PROBLEM_JSON) ? "application/json"
            : type.startsWith("text/") ? "text/plain" : type).orElse(null);
    try {
      Pipeline.await(responses.validate(ValidatableResponse.create(response.statusCode(), headers,
          Buffer.buffer(response.body()), contentType), operationId));
    } catch (RuntimeException e) {
      violations.add(operationId + " " + response.statusCode() + " " + response.body() + ": " + e.getMessage());
    }
  }

  /**
   * Posts {@code body}: the description must find it valid or not as said, and the answer must
   * match the description.
   */
  private void submit(String key, JsonObject body, boolean valid) {
    OutputUnit result = contract.getSchemaRepository()
        .validator(contract.operation("submitJobs").getRequestBody().getContent().get("application/json").getSchema())
        .validate(body);
    if (result.getValid() != valid) {
      violations.add("submitJobs request " + body.encode() + " should be " + (valid ? "valid: " + result.getErrors()
          : "invalid"));
    }
    check("submitJobs", api.post(key, body));
  }

  private void submit(String key, JsonObject body) {
    submit(key, body, true);
  }

  @Test
  void everyAnswerOfTheApiMatchesItsOpenApiDescription() {
    JsonObject noSubject = ApiFixture.billingJob("c-3");
    noSubject.remove("subject");

    submit(ApiFixture.BILLING_KEY, ApiFixture.billingJob("c-1"));
    submit(ApiFixture.BILLING_KEY, ApiFixture.billingJob("c-1"));
    submit(ApiFixture.BILLING_KEY, new JsonObject().put("jobs",
        new JsonArray().add(ApiFixture.billingJob("c-1")).add(ApiFixture.billingJob("c-2")).add(noSubject)));
    submit(ApiFixture.BILLING_KEY, noSubject, false);
    submit(null, ApiFixture.billingJob("c-4"));
    submit(ApiFixture.ALERTS_KEY, ApiFixture.billingJob("c-5"));
    submit(ApiFixture.ALERTS_KEY, ApiFixture.alertsJob("c-1"));
    submit(ApiFixture.BILLING_KEY, ApiFixture.billingJob("c-6").put("text", "x".repeat(100_000)));
    check("submitJobs", api.post(ApiFixture.BILLING_KEY, "text/plain", "hello"));
    assertThat(Pipeline.eventually(java.time.Duration.ofSeconds(10),
        () -> api.get(ApiFixture.BILLING_KEY, "/v1/jobs/c-1").statusCode() == 200)).isTrue();
    check("getJob", api.get(ApiFixture.BILLING_KEY, "/v1/jobs/c-1"));
    check("getJob", api.get(ApiFixture.ALERTS_KEY, "/v1/jobs/c-1"));
    check("listJobs", api.get(ApiFixture.BILLING_KEY, "/v1/jobs?limit=1"));
    check("listJobs", api.get(ApiFixture.BILLING_KEY, "/v1/jobs?state=NOPE"));
    check("listJobs", api.get(ApiFixture.ALERTS_KEY, "/v1/jobs?tenant=billing"));
    check("live", api.get(null, "/health/live"));
    check("ready", api.get(null, "/health/ready"));

    assertThat(violations).as("answers that do not match /openapi.yaml").isEmpty();
  }

  @Test
  void everyAnswerOfTheBulkAndTemplateEndpointsMatchesItsOpenApiDescription() {
    String key = ApiFixture.BILLING_KEY;
    JsonObject template = new JsonObject().put("subject", "Hi {{name}}").put("text", "Dear {{name}}");
    JsonObject bulk = new JsonObject().put("kind", "bulk").put("id", "b-1").put("tenant", "billing")
        .put("from", "noreply@example.gov.in").put("templateRef", new JsonObject().put("name", "hello").put("version", 1))
        .put("recipients", new JsonArray().add(new JsonObject().put("key", "k-1").put("to", "a@example.org")
            .put("vars", new JsonObject().put("name", "A"))).add(new JsonObject().put("key", "k-2").put("to", "nobody")));

    check("putTemplate", api.send("PUT", "/v1/templates/hello", key, template));
    check("putTemplate", api.send("PUT", "/v1/templates/hello", key, new JsonObject().put("subject", "{{#a}}").put("text", "x")));
    check("putTemplate", api.send("PUT", "/v1/templates/hello", key, "text/plain",
        java.net.http.HttpRequest.BodyPublishers.ofString("hi")));
    check("listTemplateVersions", api.get(key, "/v1/templates/hello"));
    check("listTemplateVersions", api.get(key, "/v1/templates/nothing"));
    check("getTemplateVersion", api.get(key, "/v1/templates/hello/1"));
    check("previewTemplate", api.send("POST", "/v1/templates/hello/preview", key,
        new JsonObject().put("vars", new JsonObject().put("name", "A"))));
    check("previewTemplate", api.send("POST", "/v1/templates/hello/preview", key, new JsonObject()));
    check("uploadBulk", api.send("POST", "/v1/bulk", key, bulk));
    check("uploadBulk", api.send("POST", "/v1/bulk", key, bulk.copy().put("id", "a/b")));
    check("uploadBulk", api.send("POST", "/v1/bulk?id=b-2&from=noreply%40example.gov.in&template=hello&version=1", key,
        "text/csv", java.net.http.HttpRequest.BodyPublishers.ofString("key,email,name\nk-1,a@example.org,A\n")));
    check("getBulk", api.get(key, "/v1/bulk/b-1"));
    check("getBulk", api.get(ApiFixture.ALERTS_KEY, "/v1/bulk/b-1"));
    check("pauseBulk", api.send("POST", "/v1/bulk/b-1/pause", key, null, java.net.http.HttpRequest.BodyPublishers.noBody()));
    check("cancelBulk", api.send("POST", "/v1/bulk/b-1/cancel", key, null, java.net.http.HttpRequest.BodyPublishers.noBody()));
    check("resumeBulk", api.send("POST", "/v1/bulk/b-1/resume", key, null, java.net.http.HttpRequest.BodyPublishers.noBody()));

    assertThat(violations).as("answers that do not match /openapi.yaml").isEmpty();
  }

  @Test
  void everyAnswerOfTheSuppressionAndUnsubscribeEndpointsMatchesItsOpenApiDescription() throws Exception {
    String key = ApiFixture.BILLING_KEY;
    String token = new io.postroom.contract.compliance.UnsubscribeToken("billing", "statements", "a@example.org")
        .seal(api.tokenKeys);
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.util.function.Function<java.net.http.HttpRequest.Builder, HttpResponse<String>> send = request -> {
      try {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    };

    check("unsubscribePage", api.get(null, "/u/" + token));
    check("unsubscribePage", api.get(null, "/u/k1.forged"));
    check("unsubscribeOneClick", api.send("POST", "/u/" + token, null, "application/x-www-form-urlencoded",
        java.net.http.HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")));
    check("unsubscribeOneClick", send.apply(java.net.http.HttpRequest.newBuilder(api.uri("/u/" + token))
        .header("Accept", "text/html").POST(java.net.http.HttpRequest.BodyPublishers.ofString("confirmed=page"))));
    check("unsubscribeOneClick", api.send("POST", "/u/k1.forged", null, null,
        java.net.http.HttpRequest.BodyPublishers.noBody()));
    check("putSuppressions", api.send("PUT", "/v1/suppressions", key, new JsonObject().put("address", "b@example.org")));
    check("putSuppressions", api.send("PUT", "/v1/suppressions", key, new JsonObject().put("suppressions",
        new JsonArray().add(new JsonObject().put("address", "c@example.org").put("reason", "COMPLAINT"))
            .add(new JsonObject().put("address", "nope")))));
    check("putSuppressions", api.send("PUT", "/v1/suppressions", key, "text/csv",
        java.net.http.HttpRequest.BodyPublishers.ofString("d@example.org,news\nbad\n")));
    check("putSuppressions", api.send("PUT", "/v1/suppressions", key, "text/csv",
        java.net.http.HttpRequest.BodyPublishers.ofString("bad\n")));
    check("putSuppressions", api.send("PUT", "/v1/suppressions", key, "text/plain",
        java.net.http.HttpRequest.BodyPublishers.ofString("x")));
    check("listSuppressions", api.get(key, "/v1/suppressions?limit=1"));
    check("listSuppressions", api.get(key, "/v1/suppressions?reason=SOMETIMES"));
    check("listSuppressions", api.get(null, "/v1/suppressions"));
    check("listSuppressions", send.apply(java.net.http.HttpRequest.newBuilder(api.uri("/v1/suppressions"))
        .header("Authorization", "Bearer " + key).header("Accept", "text/csv")));
    check("deleteSuppression", api.send("DELETE", "/v1/suppressions?address=b@example.org", key, null,
        java.net.http.HttpRequest.BodyPublishers.noBody()));
    check("deleteSuppression", api.send("DELETE", "/v1/suppressions?address=b@example.org", key, null,
        java.net.http.HttpRequest.BodyPublishers.noBody()));
    check("deleteSuppression", api.send("DELETE", "/v1/suppressions", key, null,
        java.net.http.HttpRequest.BodyPublishers.noBody()));

    assertThat(violations).as("answers that do not match /openapi.yaml").isEmpty();
  }
}
