package io.shutterbus.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HeapAdviceTest {
  private static final long GB = 1024L * 1024 * 1024;

  @Test
  void aDefaultHeapOfAQuarterOfABigMachineGetsOneLineWithTheFix() {
    String line = HeapAdvice.advice(6 * GB, List.of("-Dfile.encoding=UTF-8")).orElseThrow();
    assertTrue(line.contains("6144 MB") && line.contains("bin/shutterbus") && line.contains("-Xmx"), line);
  }

  @Test
  void anyExplicitHeapSettingOrASmallDefaultIsLeftAlone() {
    for (String flag : List.of("-Xmx4g", "-XX:MaxHeapSize=4g", "-XX:MaxRAMPercentage=75", "-XX:MaxRAM=8g")) {
      assertEquals(Optional.empty(), HeapAdvice.advice(6 * GB, List.of(flag)), flag);
    }
    assertEquals(Optional.empty(), HeapAdvice.advice(GB / 2, List.of()));
  }
}
