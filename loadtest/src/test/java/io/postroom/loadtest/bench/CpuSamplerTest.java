package io.postroom.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class CpuSamplerTest {
  private static final List<CpuSampler.Sample> SAMPLES = List.of(
      new CpuSampler.Sample(1_000, 10.0, 100.0),
      new CpuSampler.Sample(2_000, 11.0, 102.0),
      new CpuSampler.Sample(3_000, 11.5, 103.0));

  @Test
  void aWindowBetweenSamplesIsInterpolated() {
    CpuSampler.Window window = CpuSampler.window(SAMPLES, 1_500, 2_500);

    assertThat(window.processSeconds()).isCloseTo(0.75, within(1e-9));
    // 1.5 core-seconds busy in 1 s
    assertThat(window.busyCores()).isCloseTo(1.5, within(1e-9));
  }

  @Test
  void aWindowReachingPastTheSamplesIsClampedToThem() {
    CpuSampler.Window window = CpuSampler.window(SAMPLES, 0, 3_000);

    assertThat(window.processSeconds()).isCloseTo(1.5, within(1e-9));
  }
}
