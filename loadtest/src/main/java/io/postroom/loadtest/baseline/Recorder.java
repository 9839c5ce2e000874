package io.postroom.loadtest.baseline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The measurements of one run. Message {@code i} is recorded by one thread only, and
 * {@link #result} is called after every sender has finished (a happens-before edge such as a
 * thread pool's termination or a completed future), so the per-message arrays need no locking.
 * Which message to start next and whether to start one at all ({@link #next()}) is decided here
 * too: the messages {@code first .. first + count - 1} in order, none after the first failure or
 * after the time box. A run has two recorders: one for the warm-up messages, one for the measured
 * window that follows in the same JVM.
 */
final class Recorder {
  private static final int MAX_ERROR_LENGTH = 500;

  private final BaselineOptions options;
  private final String password;
  private final int first;
  private final int count;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger sent = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicReference<String> firstError = new AtomicReference<>();
  private final AtomicLong lastCompletion = new AtomicLong();
  /** Per message: microseconds from handing to 250; -1 if not sent. */
  private final int[] latencyMicros;
  /** Per message: milliseconds from the start to its 250; -1 if not sent. */
  private final int[] completedAtMillis;
  private volatile boolean stopped;
  private volatile boolean timeBoxed;
  private long startNanos;
  private long deadlineNanos;
  private double startCpuSeconds;
  private double startBusySeconds;
  private int warmupSent;

  Recorder(BaselineOptions options, String password) {
    this(options, password, options.warmup(), options.messages());
  }

  /** Records messages {@code first} to {@code first + count - 1}. */
  Recorder(BaselineOptions options, String password, int first, int count) {
    this.options = options;
    this.password = password;
    this.first = first;
    this.count = count;
    this.latencyMicros = new int[count];
    this.completedAtMillis = new int[count];
    Arrays.fill(latencyMicros, -1);
    Arrays.fill(completedAtMillis, -1);
  }

  /** The start of the measured window: call just before the first message is handed to a client. */
  void start() {
    startCpuSeconds = CpuClock.ownSeconds();
    startBusySeconds = CpuClock.machineBusySeconds();
    startNanos = System.nanoTime();
    lastCompletion.set(startNanos);
    deadlineNanos = options.maxSeconds() > 0
        ? startNanos + (long) (options.maxSeconds() * 1e9)
        : Long.MAX_VALUE;
  }

  /**
   * The index of the next message to send, or -1 when there is none: all were started, one failed,
   * or the time box is over.
   */
  int next() {
    if (stopped) {
      return -1;
    }
    if (System.nanoTime() - deadlineNanos > 0) {
      timeBoxed = true;
      stopped = true;
      return -1;
    }
    int i = next.getAndIncrement();
    return i < count ? first + i : -1;
  }

  /** The warm-up before this window sent {@code sent} messages: reported beside the window's. */
  void warmedUpWith(int sent) {
    warmupSent = sent;
  }

  int sentSoFar() {
    return sent.get();
  }

  void sent(int index, long handedNanos) {
    int i = index - first;
    long now = System.nanoTime();
    latencyMicros[i] = (int) Math.min(Integer.MAX_VALUE, (now - handedNanos) / 1_000);
    completedAtMillis[i] = (int) Math.min(Integer.MAX_VALUE, (now - startNanos) / 1_000_000);
    lastCompletion.accumulateAndGet(now, Math::max);
    sent.incrementAndGet();
  }

  void failed(int index, Throwable error) {
    lastCompletion.accumulateAndGet(System.nanoTime(), Math::max);
    failed.incrementAndGet();
    // a benchmark whose sends fail measures nothing, and a relay that sees failed logins by the
    // thousand blocks the client: start no new message
    stopped = true;
    firstError.compareAndSet(null, describe(error));
  }

  /** The run's result; after every sender has finished. */
  BaselineResult result() {
    double endCpuSeconds = CpuClock.ownSeconds();
    double endBusySeconds = CpuClock.machineBusySeconds();
    long elapsed = lastCompletion.get() - startNanos;
    double seconds = elapsed / 1e9;
    int sentCount = sent.get();
    int[] latencies = Arrays.stream(latencyMicros).filter(micros -> micros >= 0).sorted().toArray();
    BaselineResult.Latency latency = latencies.length == 0
        ? new BaselineResult.Latency(null, null, null)
        : new BaselineResult.Latency(percentile(latencies, 50), percentile(latencies, 95), percentile(latencies, 99));
    boolean boxed = timeBoxed && next.get() < count;
    return new BaselineResult(options.client().option(), options.connections(), count, sentCount,
        failed.get(), firstError.get(), round(seconds, 3),
        seconds > 0 ? round(sentCount / seconds, 1) : 0,
        sentCount > 0 ? round((endCpuSeconds - startCpuSeconds) * 1e6 / sentCount, 1) : null,
        latency, perSecond(), boxed, options.warmup(), warmupSent,
        round(CpuClock.busyCores(startBusySeconds, endBusySeconds, seconds), 2));
  }

  private List<Integer> perSecond() {
    List<Integer> counts = new ArrayList<>();
    for (int millis : completedAtMillis) {
      if (millis < 0) {
        continue;
      }
      int second = millis / 1000;
      while (counts.size() <= second) {
        counts.add(0);
      }
      counts.set(second, counts.get(second) + 1);
    }
    return counts;
  }

  /** Nearest-rank percentile of sorted microseconds, in milliseconds. */
  private static double percentile(int[] sortedMicros, int percent) {
    int rank = (int) Math.ceil(percent / 100.0 * sortedMicros.length);
    return round(sortedMicros[Math.max(0, rank - 1)] / 1e3, 3);
  }

  private static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }

  /** The failure in one line: its message and its causes', the password never. */
  String describe(Throwable error) {
    StringBuilder text = new StringBuilder();
    int depth = 0;
    for (Throwable t = error; t != null && depth++ < 10 && text.length() < MAX_ERROR_LENGTH; t = t.getCause()) {
      String message = t.getMessage();
      String part = message == null || message.isBlank() ? t.getClass().getSimpleName() : message.trim();
      if (text.indexOf(part) >= 0) {
        continue;
      }
      if (text.length() > 0) {
        text.append("; caused by ");
        if (message != null && !message.isBlank()) {
          text.append(t.getClass().getSimpleName()).append(": ");
        }
      }
      text.append(part);
    }
    String line = text.toString().replaceAll("\\s*[\r\n]+\\s*", " ");
    if (!password.isEmpty()) {
      line = line.replace(password, "***");
    }
    return line.length() > MAX_ERROR_LENGTH ? line.substring(0, MAX_ERROR_LENGTH) + "..." : line;
  }
}
