package io.postroom.api.suppressions;

import io.micrometer.core.instrument.MeterRegistry;
import io.postroom.api.http.ApiConfig;
import io.postroom.api.http.JobPublisher;
import io.postroom.api.http.KeyRateLimiter;
import io.postroom.contract.compliance.Suppression;
import io.postroom.contract.config.KafkaSection;
import io.postroom.contract.kafka.KafkaStartCheck;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;

/**
 * The api's side of the suppression list: the topic ({@code mail.suppressions}, created compacted at
 * start when missing), its view ({@link SuppressionStore} in {@code <api.stateDir>/suppressions},
 * followed by a {@link SuppressionView}), the one-click link ({@link UnsubscribeRoutes}) and the
 * tenants' {@code /v1/suppressions} ({@link SuppressionRoutes}).
 */
public final class SuppressionsApi {
  private final Vertx vertx;
  private final SuppressionStore store;
  private final SuppressionView view;
  private final UnsubscribeRoutes unsubscribe;
  private final SuppressionRoutes routes;

  /** Creates the topic if it is missing (compacted, one partition, like the templates'), at start. */
  public static void createTopic(KafkaStartCheck check, KafkaSection kafka) {
    check.createCompacted(List.of(kafka.suppressionsTopic()), 1, "kafka.topics.suppressions");
  }

  /** Where the view lives: a directory of its own under the api's state directory. */
  public static Path storeDir(ApiConfig config) {
    return config.stateDir().resolve("suppressions");
  }

  /**
   * @param store opened (off the event loop) in {@link #storeDir}
   * @param view over the store, made off the event loop too (it makes a Kafka consumer); started here
   */
  public SuppressionsApi(Vertx vertx, ApiConfig config, SuppressionStore store, SuppressionView view,
      JobPublisher publisher, MeterRegistry registry) {
    this.vertx = vertx;
    this.store = store;
    String topic = config.kafka().suppressionsTopic();
    this.view = view.start();
    SuppressionLog log = new SuppressionLog() {
      @Override
      public Future<Written> put(Suppression suppression) {
        return publisher.send(KafkaProducerRecord.create(topic, suppression.key(), suppression.toJson().toBuffer()))
            .map(m -> new Written(m.getPartition(), m.getOffset()));
      }

      @Override
      public Future<Written> lift(String key) {
        return publisher.send(KafkaProducerRecord.<String, Buffer>create(topic, key, null))
            .map(m -> new Written(m.getPartition(), m.getOffset()));
      }
    };
    Suppressions suppressions = new Suppressions(vertx, store, log, (partition, offset) ->
        Future.fromCompletionStage(view.applied(partition, offset), vertx.getOrCreateContext()));
    Clock clock = Clock.systemUTC();
    this.unsubscribe = new UnsubscribeRoutes(config.compliance().keys(), suppressions,
        new KeyRateLimiter(config.unsubscribeRequestsPerSecondPerClient(), 100_000, System::nanoTime), clock, registry);
    this.routes = new SuppressionRoutes(suppressions, clock, registry, config.maxBodyBytes(),
        config.bulk().maxUploadBytes(), config.bulk().problemsListed());
  }

  public void mount(Router router, List<Handler<RoutingContext>> guards, Function<RoutingContext, String> tenant,
      Function<RoutingContext, String> keyName) {
    unsubscribe.mount(router);
    routes.mount(router, guards, tenant, keyName);
  }

  /** Stops following the topic and closes the store (off the event loop: it waits for the follower's thread). */
  public Future<Void> close() {
    return vertx.executeBlocking(() -> {
      view.close();
      store.close();
      return null;
    }, false).mapEmpty();
  }
}
