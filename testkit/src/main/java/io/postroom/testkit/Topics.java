package io.postroom.testkit;

import java.util.UUID;

/** The three topics one dispatcher works with; unique names keep tests on a shared broker apart. */
public record Topics(String jobs, String status, String deadLetters) {

  public static final Topics DEFAULT = new Topics("mail.jobs", "mail.status", "mail.jobs.dlq");

  public static Topics unique(String label) {
    String suffix = label + "." + UUID.randomUUID().toString().substring(0, 8);
    return new Topics("mail.jobs." + suffix, "mail.status." + suffix, "mail.jobs.dlq." + suffix);
  }

  public Topics create(KafkaBroker broker, int jobPartitions) {
    broker.createTopics(jobPartitions, jobs);
    broker.createTopics(4, status, deadLetters);
    return this;
  }
}
