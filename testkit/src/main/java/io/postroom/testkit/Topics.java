package io.postroom.testkit;

import static io.postroom.contract.config.KafkaSection.DEFAULT_DEAD_LETTER_TOPIC;
import static io.postroom.contract.config.KafkaSection.DEFAULT_JOBS_TOPIC;
import static io.postroom.contract.config.KafkaSection.DEFAULT_STATUS_TOPIC;

import java.util.UUID;

/** The three topics one dispatcher works with; unique names keep tests on a shared broker apart. */
public record Topics(String jobs, String status, String deadLetters) {

  public static final Topics DEFAULT = new Topics(DEFAULT_JOBS_TOPIC, DEFAULT_STATUS_TOPIC, DEFAULT_DEAD_LETTER_TOPIC);

  public static Topics unique(String label) {
    String suffix = label + "." + UUID.randomUUID().toString().substring(0, 8);
    return new Topics(DEFAULT_JOBS_TOPIC + "." + suffix, DEFAULT_STATUS_TOPIC + "." + suffix,
        DEFAULT_DEAD_LETTER_TOPIC + "." + suffix);
  }

  /** The compacted topics of templates and bulk sends, named after the jobs topic (the api and dispatcher create them). */
  public String templates() {
    return jobs.replace(DEFAULT_JOBS_TOPIC, "mail.templates");
  }

  public String bulk() {
    return jobs.replace(DEFAULT_JOBS_TOPIC, "mail.bulk");
  }

  public String bulkControl() {
    return jobs.replace(DEFAULT_JOBS_TOPIC, "mail.bulk.control");
  }

  /** The compacted topic of the tenants' suppression lists, named after the jobs topic (api and dispatchers create it). */
  public String suppressions() {
    return jobs.replace(DEFAULT_JOBS_TOPIC, "mail.suppressions");
  }

  /** The dispatchers' own topic of bulk recipients' jobs ({@code kafka.topics.recipients}'s default). */
  public String recipients() {
    return jobs + ".recipients";
  }

  public Topics create(KafkaBroker broker, int jobPartitions) {
    broker.createTopics(jobPartitions, jobs);
    broker.createTopics(4, status, deadLetters);
    return this;
  }
}
