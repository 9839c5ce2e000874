package io.postroom.api.dashboard;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.ListConsumerGroupOffsetsOptions;
import io.vertx.kafka.admin.ListOffsetsResultInfo;
import io.vertx.kafka.admin.OffsetSpec;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The backlog: per partition of {@code mail.jobs}, how many records the dispatchers' consumer group
 * has not committed yet (the end offset minus the group's committed offset).
 */
public final class BacklogProbe {
  private final KafkaAdminClient admin;
  private final String topic;
  private final String group;

  public BacklogProbe(Vertx vertx, Map<String, String> adminProperties, String topic, String group) {
    this.admin = KafkaAdminClient.create(vertx, adminProperties);
    this.topic = topic;
    this.group = group;
  }

  /** {@code {"group", "total", "partitions": [{partition, lag}]}}. */
  public Future<JsonObject> probe() {
    return admin.describeTopics(List.of(topic)).compose(described -> {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      described.get(topic).getPartitions().forEach(p -> latest.put(new TopicPartition(topic, p.getPartition()),
          OffsetSpec.LATEST));
      Future<Map<TopicPartition, ListOffsetsResultInfo>> ends = admin.listOffsets(latest);
      Future<Map<TopicPartition, OffsetAndMetadata>> committed = admin.listConsumerGroupOffsets(group,
          new ListConsumerGroupOffsetsOptions());
      return Future.all(ends, committed).map(both -> {
        Map<TopicPartition, ListOffsetsResultInfo> end = both.resultAt(0);
        Map<TopicPartition, OffsetAndMetadata> done = both.resultAt(1);
        JsonArray partitions = new JsonArray();
        long total = 0;
        for (int p = 0; p < end.size(); p++) {
          TopicPartition partition = new TopicPartition(topic, p);
          long endOffset = end.get(partition) == null ? 0 : end.get(partition).getOffset();
          OffsetAndMetadata at = done.get(partition);
          long lag = Math.max(0, endOffset - (at == null ? 0 : at.getOffset()));
          total += lag;
          partitions.add(new JsonObject().put("partition", p).put("lag", lag));
        }
        return new JsonObject().put("group", group).put("total", total).put("partitions", partitions);
      });
    });
  }

  public Future<Void> close() {
    return admin.close();
  }
}
