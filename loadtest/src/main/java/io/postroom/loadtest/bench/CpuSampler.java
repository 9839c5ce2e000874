package io.postroom.loadtest.bench;

import io.postroom.loadtest.baseline.CpuClock;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU readings of child processes and of the machine every {@value #PERIOD_MILLIS} ms, from
 * {@code /proc} only (nothing asks the processes anything), so that the CPU of a window that starts
 * and ends at times known only afterwards (the first and last status event) can be read back:
 * {@link #window} interpolates between the samples either side of each end.
 */
final class CpuSampler implements AutoCloseable {
  static final int PERIOD_MILLIS = 50;

  /** One reading: wall time, the processes' CPU seconds summed, the machine's busy core-seconds. */
  record Sample(long atMillis, double processSeconds, double machineSeconds) {
  }

  /** CPU over a window: the processes' seconds, and the machine's mean busy cores. */
  record Window(double processSeconds, double busyCores) {
  }

  private final List<Long> pids;
  private final List<Sample> samples = new ArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  CpuSampler(List<Long> pids) {
    this.pids = List.copyOf(pids);
    sample();
    this.thread = new Thread(this::run, "cpu-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (running) {
      try {
        Thread.sleep(PERIOD_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      sample();
    }
  }

  private void sample() {
    double process = 0;
    for (long pid : pids) {
      double seconds = CpuClock.processSeconds(pid);
      if (Double.isNaN(seconds)) {
        return;
      }
      process += seconds;
    }
    Sample sample = new Sample(System.currentTimeMillis(), process, CpuClock.machineBusySeconds());
    synchronized (samples) {
      samples.add(sample);
    }
  }

  /** CPU between two wall times; takes one more sample first so that a window ending now is covered. */
  Window window(long fromMillis, long toMillis) {
    sample();
    synchronized (samples) {
      return window(samples, fromMillis, toMillis);
    }
  }

  static Window window(List<Sample> samples, long fromMillis, long toMillis) {
    Sample from = at(samples, fromMillis);
    Sample to = at(samples, toMillis);
    double seconds = (toMillis - fromMillis) / 1000.0;
    return new Window(to.processSeconds() - from.processSeconds(),
        CpuClock.busyCores(from.machineSeconds(), to.machineSeconds(), seconds));
  }

  /** The readings at {@code millis}, interpolated linearly; clamped to the first and last sample. */
  static Sample at(List<Sample> samples, long millis) {
    Sample before = samples.get(0);
    for (Sample sample : samples) {
      if (sample.atMillis() >= millis) {
        if (sample == before || sample.atMillis() == before.atMillis()) {
          return sample;
        }
        double share = (double) (millis - before.atMillis()) / (sample.atMillis() - before.atMillis());
        share = Math.max(0, Math.min(1, share));
        return new Sample(millis, before.processSeconds() + share * (sample.processSeconds() - before.processSeconds()),
            before.machineSeconds() + share * (sample.machineSeconds() - before.machineSeconds()));
      }
      before = sample;
    }
    return before;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
