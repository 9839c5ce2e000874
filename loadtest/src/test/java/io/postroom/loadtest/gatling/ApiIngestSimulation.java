package io.postroom.loadtest.gatling;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How the api takes jobs under an open workload: new users arrive at a rate that ramps from a tenth
 * to the full rate, then stays there (they do not wait for each other, as independent upstream
 * systems would not). Two scenarios at once:
 *
 * <ul>
 *   <li><b>single job</b>: each user posts one job ({@code POST /v1/jobs}), expects {@code 202
 *       {"id", "state": "ACCEPTED"}} with its {@code Location}; every n-th user posts the same job
 *       again and expects {@code 200 {"existing": true}} (a repeated id is not published again);
 *   <li><b>batch</b>: each user posts {@code {"jobs": [...]}} of {@code postroom.batch.size} jobs
 *       and expects {@code 202} with every one of them accepted, none rejected or existing.
 * </ul>
 *
 * Every other answer is a failure, including {@code 429} (the key's rate limit: the demo's key has a
 * limit of 100,000 requests/s) and {@code 503} (Kafka not answering). Assertions: failed requests
 * below {@code postroom.maxFailedPercent} %, p99 response times per request kind. Parameters:
 * {@link LoadParameters}. Run: {@code loadtest/gatling.sh} (starts the demo pipeline), or against an
 * api that runs: {@code mvn -o -pl loadtest gatling:test
 * -Dgatling.simulationClass=io.postroom.loadtest.gatling.ApiIngestSimulation
 * -Dpostroom.api.url=http://localhost:8080 -Dpostroom.api.key=KEY}.
 */
public class ApiIngestSimulation extends Simulation {

  static final String SINGLE = "POST /v1/jobs: 1 job";
  static final String REPEAT = "POST /v1/jobs: repeated id";

  private final LoadParameters parameters = LoadParameters.fromSystemProperties();
  /** The batch request's name, with its size: the report's jobs/s is its req/s times that. */
  private final String batchRequest = "POST /v1/jobs: batch of " + parameters.batchSize();
  private final JobBodies bodies = new JobBodies(parameters.tenant(), parameters.from(), parameters.runId());
  private final AtomicLong singleJobsAccepted = new AtomicLong();
  private final AtomicLong batchJobsAccepted = new AtomicLong();
  private volatile long startedNanos;

  private final HttpProtocolBuilder protocol = http
      .baseUrl(parameters.apiUrl())
      .authorizationHeader("Bearer " + parameters.apiKey())
      .contentTypeHeader("application/json")
      .acceptHeader("application/json")
      .userAgentHeader("postroom-gatling")
      .warmUp(parameters.apiUrl() + "/health/live");

  private final ScenarioBuilder single = scenario("single job")
      .feed(bodies.feeder("s"))
      .exec(session -> session.set("body", bodies.job(session.getString("id"), session.getLong("n"))))
      .exec(http(SINGLE).post("/v1/jobs")
          .body(StringBody(session -> session.getString("body")))
          .check(status().is(202),
              jmesPath("id").is(session -> session.getString("id")),
              jmesPath("state").is("ACCEPTED"),
              header("Location").is(session -> "/v1/jobs/" + session.getString("id"))))
      .exec(session -> {
        if (!session.isFailed()) {
          singleJobsAccepted.incrementAndGet();
        }
        return session;
      })
      .doIf(session -> !session.isFailed() && parameters.repeatEvery() > 0
          && session.getLong("n") % parameters.repeatEvery() == 0)
      .then(http(REPEAT).post("/v1/jobs")
          .body(StringBody(session -> session.getString("body")))
          .check(status().is(200),
              jmesPath("id").is(session -> session.getString("id")),
              jmesPath("existing").ofBoolean().is(true)));

  private final ScenarioBuilder batch = scenario("batch of " + parameters.batchSize() + " jobs")
      .feed(bodies.feeder("b"))
      .exec(http(batchRequest).post("/v1/jobs")
          .body(StringBody(session -> bodies.batch(session.getString("id"), session.getLong("n"),
              parameters.batchSize())))
          .check(status().is(202),
              jmesPath("length(accepted)").ofInt().is(parameters.batchSize()).saveAs("accepted"),
              jmesPath("length(rejected)").ofInt().is(0),
              jmesPath("length(existing)").ofInt().is(0)))
      .exec(session -> {
        if (!session.isFailed()) {
          batchJobsAccepted.addAndGet(session.getInt("accepted"));
        }
        return session;
      });

  public ApiIngestSimulation() {
    List<PopulationBuilder> populations = new ArrayList<>();
    if (parameters.singleRate() > 0) {
      populations.add(single.injectOpen(open(parameters.singleRate())));
    }
    if (parameters.batchRate() > 0) {
      populations.add(batch.injectOpen(open(parameters.batchRate())));
    }
    List<Assertion> assertions = new ArrayList<>(List.of(
        global().failedRequests().percent().lt(parameters.maxFailedPercent()),
        global().responseTime().percentile(99).lt(parameters.globalP99Millis())));
    if (parameters.singleRate() > 0) {
      assertions.add(details(SINGLE).failedRequests().percent().lt(parameters.maxFailedPercent()));
      assertions.add(details(SINGLE).responseTime().percentile(99).lt(parameters.singleP99Millis()));
    }
    if (parameters.batchRate() > 0) {
      assertions.add(details(batchRequest).failedRequests().percent().lt(parameters.maxFailedPercent()));
      assertions.add(details(batchRequest).responseTime().percentile(99).lt(parameters.batchP99Millis()));
    }
    setUp(populations)
        .protocols(protocol)
        .assertions(assertions)
        // a stuck api must not keep the run going: the injection, then a minute for answers
        .maxDuration(parameters.duration().plus(Duration.ofMinutes(1)));
  }

  /** A ramp from a tenth of the rate to the rate, then the rate for the rest of the duration. */
  private OpenInjectionStep[] open(double usersPerSecond) {
    List<OpenInjectionStep> steps = new ArrayList<>();
    if (!parameters.ramp().isZero()) {
      steps.add(rampUsersPerSec(usersPerSecond / 10).to(usersPerSecond).during(parameters.ramp()));
    }
    if (!parameters.steady().isZero()) {
      steps.add(constantUsersPerSec(usersPerSecond).during(parameters.steady()));
    }
    return steps.toArray(OpenInjectionStep[]::new);
  }

  @Override
  public void before() {
    System.out.println("ApiIngestSimulation: " + parameters.describe());
    startedNanos = System.nanoTime();
  }

  @Override
  public void after() {
    double seconds = (System.nanoTime() - startedNanos) / 1e9;
    long singles = singleJobsAccepted.get();
    long batched = batchJobsAccepted.get();
    System.out.printf("ApiIngestSimulation: jobs accepted (202) in %.1f s: %,d single (%.1f jobs/s),"
            + " %,d in batches (%.1f jobs/s), %,d in all (%.1f jobs/s); ids gatling-%s-*%n", seconds, singles,
        singles / seconds, batched, batched / seconds, singles + batched, (singles + batched) / seconds,
        parameters.runId());
  }
}
