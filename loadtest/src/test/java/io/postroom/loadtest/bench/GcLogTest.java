package io.postroom.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GcLogTest {

  @Test
  void thePeakHeapIsTheLargestHeapBeforeACollection() {
    List<String> log = List.of(
        "[0.011s][info][gc] Using G1",
        "[1.201s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 24M->3M(512M) 2.345ms",
        "[4.801s][info][gc] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 131M->20M(512M) 5.1ms",
        "[9.002s][info][gc] GC(2) Pause Young (Concurrent Start) (G1 Humongous Allocation) 98M->21M(512M) 3.0ms");

    assertThat(GcLog.peakHeapBytes(log)).isEqualTo(131L * 1024 * 1024);
  }

  @Test
  void noCollectionIsNoFigure() {
    assertThat(GcLog.peakHeapBytes(List.of("[0.011s][info][gc] Using G1"))).isZero();
  }
}
