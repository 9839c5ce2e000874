package io.postroom.contract.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops the one warning Micrometer gives when Vert.x registers one of its own gauges again
 * ({@code This Gauge has been already registered (MeterId{name='vertx.net.client.active.connections'...}}):
 * vertx-micrometer-metrics 5 registers its connection and request gauges at every connection and
 * request, and keeps one counter per gauge, so the gauge is right and the warning is not about a
 * problem (vert-x3/vertx-micrometer-metrics#259). Every other meter's second registration, one of
 * Postroom's included, is still logged.
 */
public final class VertxGaugeReRegistration extends TurboFilter {
  static final String LOGGER = "io.micrometer.core.instrument.MeterRegistry";

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    boolean vertxGaugeAgain = level == Level.WARN && LOGGER.equals(logger.getName()) && format != null
        && format.startsWith("This Gauge has been already registered (MeterId{name='vertx.");
    return vertxGaugeAgain ? FilterReply.DENY : FilterReply.NEUTRAL;
  }
}
