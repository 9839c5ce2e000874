package io.postroom.loadtest.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory run's view of a dispatcher: peak resident memory from Linux's {@code /proc}, and, from
 * its Prometheus endpoint, heap in use sampled on a thread of its own and the live set after a full
 * collection. The throughput run does not poll /metrics (see {@link CpuSampler} and {@link GcLog}):
 * with port 0 this samples nothing.
 */
final class ProcessProbe implements AutoCloseable {
  private final long pid;
  private final URI metrics;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private final AtomicLong peakHeap = new AtomicLong();
  private final Thread sampler;
  private volatile boolean running = true;

  /** Samples heap from {@code metricsPort}'s {@code /metrics} every 250 ms; no sampling when the port is 0. */
  ProcessProbe(long pid, int metricsPort) {
    this.pid = pid;
    this.metrics = metricsPort == 0 ? null : URI.create("http://127.0.0.1:" + metricsPort + "/metrics");
    this.sampler = new Thread(this::sample, "heap-sampler-" + pid);
    sampler.setDaemon(true);
    if (metrics != null) {
      sampler.start();
    }
  }

  /** The process's peak resident set size in bytes (VmHWM), 0 if unknown. */
  long peakRssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process is gone
    }
    return 0;
  }

  long peakHeapBytes() {
    return peakHeap.get();
  }

  /** Heap in use now, from jvm_memory_used_bytes{area="heap"}; -1 if it cannot be read. */
  long heapBytes() {
    try {
      String text = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      long sum = 0;
      boolean found = false;
      for (String line : text.split("\n")) {
        if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
          sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          found = true;
        }
      }
      return found ? sum : -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Heap still in use after a full collection (asked for with jcmd): the live set. */
  long liveHeapBytes() {
    try {
      Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
          Long.toString(pid), "GC.run").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      jcmd.waitFor();
      return heapBytes();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private void sample() {
    while (running) {
      long heap = heapBytes();
      peakHeap.accumulateAndGet(heap, Math::max);
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() {
    running = false;
    sampler.interrupt();
  }
}
