package io.postroom.api.dashboard;

import io.postroom.contract.metrics.CircuitState;
import io.postroom.contract.metrics.ComplianceMetricNames;
import io.postroom.contract.metrics.DispatcherMetricNames;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The relays as the dispatchers see them, from their Prometheus endpoints ({@code api.dispatchers}):
 * each relay's circuit state and effective rate, and the send time percentiles; and each tenant's
 * DKIM counts (signed, unsigned, failures; over its domains, added up over the dispatchers, since
 * they started). A dispatcher that does not answer is listed as unreachable; nothing here blocks.
 */
public final class DispatcherMetricsProbe {
  private static final Pattern LINE = Pattern.compile("^(postroom_[a-z_]+)\\{([^}]*)} (\\S+)$", Pattern.MULTILINE);
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private final HttpClient http;
  private final List<String> dispatchers;

  public DispatcherMetricsProbe(Vertx vertx, List<String> dispatchers) {
    this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(2000));
    this.dispatchers = List.copyOf(dispatchers);
  }

  /**
   * {@code {"dispatchers": [{url, reachable}], "relays": [{dispatcher, relay, circuit, rate}], "sendSeconds": {...},
   * "dkim": {tenant: {signed, unsigned, failures}}}}.
   */
  public Future<JsonObject> probe() {
    List<Future<JsonObject>> answers = dispatchers.stream().map(this::scrape).toList();
    return Future.join(answers).transform(ignored -> {
      JsonArray reached = new JsonArray();
      JsonArray relays = new JsonArray();
      JsonObject sendSeconds = new JsonObject();
      JsonObject dkim = new JsonObject();
      for (int i = 0; i < dispatchers.size(); i++) {
        Future<JsonObject> answer = answers.get(i);
        String url = dispatchers.get(i);
        reached.add(new JsonObject().put("url", url).put("reachable", answer.succeeded())
            .put("error", answer.failed() ? answer.cause().getMessage() : null));
        if (answer.succeeded()) {
          answer.result().getJsonArray("relays").forEach(relay -> relays.add(((JsonObject) relay)
              .put("dispatcher", url)));
          sendSeconds.mergeIn(answer.result().getJsonObject("sendSeconds"));
          add(dkim, answer.result().getJsonObject("dkim"));
        }
      }
      return Future.succeededFuture(new JsonObject().put("dispatchers", reached).put("relays", relays)
          .put("sendSeconds", sendSeconds).put("dkim", dkim));
    });
  }

  /** Adds one dispatcher's DKIM counts per tenant to those of the others. */
  private static void add(JsonObject sum, JsonObject counts) {
    counts.forEach(tenant -> {
      JsonObject into = sum.getJsonObject(tenant.getKey());
      if (into == null) {
        sum.put(tenant.getKey(), ((JsonObject) tenant.getValue()).copy());
      } else {
        ((JsonObject) tenant.getValue()).forEach(count -> into.put(count.getKey(),
            into.getLong(count.getKey(), 0L) + ((Number) count.getValue()).longValue()));
      }
    });
  }

  private Future<JsonObject> scrape(String base) {
    return http.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(base + "/metrics")
            .setTimeout(3000))
        .compose(request -> request.send())
        .compose(response -> response.statusCode() == 200 ? response.body()
            : Future.failedFuture("HTTP " + response.statusCode()))
        .map(body -> parse(body.toString()));
  }

  /** The relay gauges, send-time quantiles and DKIM counters of one dispatcher's Prometheus text. */
  static JsonObject parse(String text) {
    Map<String, JsonObject> relays = new LinkedHashMap<>();
    JsonObject sendSeconds = new JsonObject();
    JsonObject dkim = new JsonObject();
    Matcher line = LINE.matcher(text);
    while (line.find()) {
      Map<String, String> labels = new LinkedHashMap<>();
      Matcher label = LABEL.matcher(line.group(2));
      while (label.find()) {
        labels.put(label.group(1), label.group(2));
      }
      String relay = labels.get("relay");
      double value;
      try {
        value = Double.parseDouble(line.group(3));
      } catch (NumberFormatException e) {
        continue;
      }
      switch (line.group(1)) {
        case DispatcherMetricNames.RELAY_CIRCUIT_STATE -> relays.computeIfAbsent(relay, r -> new JsonObject().put("relay", r))
            .put("circuit", circuit(value));
        case DispatcherMetricNames.RELAY_RATE_LIMIT -> relays.computeIfAbsent(relay, r -> new JsonObject().put("relay", r))
            .put("ratePerSecond", Double.isNaN(value) ? null : value);
        case DispatcherMetricNames.SEND_SECONDS -> {
          if ("sent".equals(labels.get("outcome")) && labels.containsKey("quantile")) {
            sendSeconds.put(relay + " p" + Math.round(Double.parseDouble(labels.get("quantile")) * 100), value);
          }
        }
        case ComplianceMetricNames.DKIM_SIGNED -> count(dkim, labels.get("tenant"), "signed", value);
        case ComplianceMetricNames.DKIM_UNSIGNED -> count(dkim, labels.get("tenant"), "unsigned", value);
        case ComplianceMetricNames.DKIM_FAILURES -> count(dkim, labels.get("tenant"), "failures", value);
        default -> { }
      }
    }
    return new JsonObject().put("relays", new JsonArray(List.copyOf(relays.values()))).put("sendSeconds", sendSeconds)
        .put("dkim", dkim);
  }

  /** A tenant's count over its domains: the counter's lines of each domain added up. */
  private static void count(JsonObject dkim, String tenant, String field, double value) {
    if (tenant == null || Double.isNaN(value)) {
      return;
    }
    JsonObject counts = dkim.getJsonObject(tenant);
    if (counts == null) {
      counts = new JsonObject().put("signed", 0L).put("unsigned", 0L).put("failures", 0L);
      dkim.put(tenant, counts);
    }
    counts.put(field, counts.getLong(field) + (long) value);
  }

  private static String circuit(double gaugeValue) {
    CircuitState state = CircuitState.ofGauge(gaugeValue);
    return state == null ? "unknown" : state.label();
  }
}
