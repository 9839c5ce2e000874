package io.postroom.contract.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

class VertxGaugeReRegistrationTest {
  private final LoggerContext context = new LoggerContext();
  private final VertxGaugeReRegistration filter = new VertxGaugeReRegistration();

  private FilterReply decide(String logger, Level level, String message) {
    return filter.decide(null, context.getLogger(logger), level, message, null, null);
  }

  @Test
  void vertxRegisteringItsOwnGaugeAgainIsNotLogged() {
    assertThat(decide(VertxGaugeReRegistration.LOGGER, Level.WARN, "This Gauge has been already registered"
        + " (MeterId{name='vertx.net.client.active.connections', tags=[]}), the Gauge registration will be ignored."))
        .isEqualTo(FilterReply.DENY);
  }

  @Test
  void postroomsOwnGaugeRegisteredAgainIsStillLogged() {
    assertThat(decide(VertxGaugeReRegistration.LOGGER, Level.WARN, "This Gauge has been already registered"
        + " (MeterId{name='postroom_jobs_in_flight', tags=[]}), the Gauge registration will be ignored."))
        .isEqualTo(FilterReply.NEUTRAL);
  }

  @Test
  void otherLoggersAreLeftAlone() {
    assertThat(decide("io.vertx.core.impl.BlockedThreadChecker", Level.WARN, "This Gauge has been already registered"
        + " (MeterId{name='vertx.x'")).isEqualTo(FilterReply.NEUTRAL);
  }
}
