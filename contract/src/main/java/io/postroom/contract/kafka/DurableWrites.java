package io.postroom.contract.kafka;

import java.util.HashMap;
import java.util.Map;

/**
 * How every Postroom producer writes (the api's jobs, the dispatcher's outcomes and moves): String
 * keys, Vert.x Buffer values, {@code acks=all} and idempotence, so that a write reported done is on
 * every in-sync replica and a retried write is not stored twice; lz4 and a 5 ms linger by default,
 * which {@code base} may override. One place, so that no producer quietly writes with weaker
 * guarantees.
 */
public final class DurableWrites {
  private DurableWrites() {
  }

  /** {@code base} (client id, bootstrap servers, security…) with the durable-write settings over it. */
  public static Map<String, String> producerProperties(Map<String, String> base) {
    Map<String, String> props = new HashMap<>(base);
    props.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    props.put("value.serializer", "io.vertx.kafka.client.serialization.BufferSerializer");
    props.put("acks", "all");
    props.put("enable.idempotence", "true");
    // throughput on a broker that shares its cores: fewer, compressed requests (both overridable)
    props.putIfAbsent("compression.type", "lz4");
    props.putIfAbsent("linger.ms", "5");
    return props;
  }
}
