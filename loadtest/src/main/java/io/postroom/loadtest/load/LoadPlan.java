package io.postroom.loadtest.load;

/**
 * What {@code bin/postroom load} publishes: {@code jobs} jobs, {@code rate} per second (0: as fast as
 * the broker takes them), spread over {@code tenants} tenants, {@code size} bytes of text each, to
 * {@code topic} at {@code bootstrap}. {@link LoadCommand} reads it from the options; the benchmark
 * makes its own.
 */
public record LoadPlan(long jobs, double rate, int tenants, int size, String bootstrap, String topic) {
}
