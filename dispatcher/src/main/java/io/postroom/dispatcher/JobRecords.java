package io.postroom.dispatcher;

import io.postroom.dispatcher.bulk.BulkExpander;
import io.postroom.dispatcher.kafka.SourceRecord;
import io.vertx.core.Future;

/**
 * What the consumer hands each record to: a bulk record of the jobs topic to the
 * {@link BulkExpander}, which turns it into one job per recipient; every other record, a job, to
 * the {@link JobProcessor}. A bulk record is finished once its recipients' jobs are durable.
 */
final class JobRecords implements RecordProcessor {
  private static final Future<Processed> DURABLE = Future.succeededFuture(Processed.DURABLE);

  private final String jobsTopic;
  private final JobProcessor jobs;
  private final BulkExpander bulks;

  JobRecords(String jobsTopic, JobProcessor jobs, BulkExpander bulks) {
    this.jobsTopic = jobsTopic;
    this.jobs = jobs;
    this.bulks = bulks;
  }

  @Override
  public Future<Processed> process(SourceRecord record, Delivery.Ownership owned) {
    if (record.topic().equals(jobsTopic) && BulkExpander.isBulk(record)) {
      return bulks.expand(record).compose(v -> DURABLE);
    }
    return jobs.process(record, owned);
  }

  @Override
  public int moving() {
    return jobs.moving();
  }
}
