package io.postroom.loadtest.cds;

import io.postroom.contract.cli.Cli;
import io.postroom.testkit.Certificates;
import io.postroom.testkit.DispatcherProcess;
import io.postroom.testkit.DispatcherSettings;
import io.postroom.testkit.KafkaBroker;
import io.postroom.testkit.OutcomeWatcher;
import io.postroom.testkit.SampleJobs;
import io.postroom.testkit.SmtpRelay;
import io.postroom.testkit.Topics;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/postroom cds-classlist FILE}: records the classes a dispatcher loads from its start to
 * the end of a real run (a broker, a relay requiring STARTTLS and AUTH, a few thousand jobs, a
 * graceful stop), with {@code -XX:DumpLoadedClassList}. {@code bin/postroom} and the Dockerfile
 * turn the list into a class-data sharing archive, which takes a third off the dispatcher's start.
 * The list only names classes; refresh it when the dependencies change (a stale entry is skipped).
 */
@Command(name = "bin/postroom cds-classlist",
    description = {"Records the classes a dispatcher loads in a real run (a broker, a relay, 3,000 jobs) into FILE,",
        "the list the class-data sharing archive is made from; refresh it after a dependency upgrade.", ""})
public final class ClassListRecorder implements Callable<Integer> {
  private static final int JOBS = 3_000;
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

  @Parameters(paramLabel = "FILE", description = "where the list goes (bin/postroom: dispatcher/src/main/cds/dispatcher.classlist)")
  private Path file;

  public ClassListRecorder() {
  }

  public static void main(String[] args) {
    Cli.exit(new ClassListRecorder(), args);
  }

  @Override
  public Integer call() throws Exception {
    Path out = file.toAbsolutePath();
    Path work = Files.createTempDirectory("postroom-classlist-");
    Vertx vertx = Vertx.vertx();
    try (KafkaBroker broker = KafkaBroker.start(work.resolve("kafka"))) {
      Topics topics = Topics.DEFAULT.create(broker, 4);
      String password = UUID.randomUUID().toString();
      Certificates certificates = Certificates.create(work.resolve("tls"), "localhost", "127.0.0.1");
      SmtpRelay relay = new SmtpRelay(SmtpRelay.Options.builder().certificates(certificates)
          .user("postroom", password).build());
      relay.start(vertx).toCompletionStage().toCompletableFuture().get();
      DispatcherSettings settings = DispatcherSettings.of(broker.bootstrapServers(), topics, "postroom-classlist")
          .relay("localhost", relay.port(), "postroom", password, certificates.caPem());
      Path raw = work.resolve("classes.lst");
      try (OutcomeWatcher watcher = OutcomeWatcher.start(broker.bootstrapServers(), topics);
           DispatcherProcess dispatcher = DispatcherProcess.start(settings, work.resolve("dispatcher"),
               Duration.ofSeconds(60), List.of("-XX:DumpLoadedClassList=" + raw))) {
        broker.publishAll(jobs(topics));
        if (!watcher.awaitFinished(JOBS, RUN_TIMEOUT)) {
          throw new IllegalStateException("only " + watcher.finished() + " of " + JOBS + " jobs finished in "
              + RUN_TIMEOUT + "; see " + dispatcher.logText());
        }
        int exit = dispatcher.stop(Duration.ofSeconds(30));
        if (exit != 0) {
          throw new IllegalStateException("the dispatcher stopped with exit code " + exit);
        }
      }
      relay.close();
      Files.createDirectories(out.getParent());
      Files.copy(raw, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      System.out.printf("postroom: %,d classes a dispatcher loaded while sending %,d jobs, listed in %s%n",
          Files.readAllLines(out).stream().filter(line -> !line.startsWith("#")).count(), JOBS, out);
    } finally {
      vertx.close();
    }
    return Cli.OK;
  }

  private static List<ProducerRecord<String, byte[]>> jobs(Topics topics) {
    String[] tenants = {"billing", "alerts", "passwords"};
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) {
      String id = "classlist-" + i;
      records.add(new ProducerRecord<>(topics.jobs(), id,
          SampleJobs.bytes(SampleJobs.valid(id, tenants[i % tenants.length], "citizen" + i + "@example.org"))));
    }
    return records;
  }
}
