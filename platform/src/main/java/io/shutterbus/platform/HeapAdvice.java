package io.shutterbus.platform;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Optional;

/**
 * A jar's manifest cannot set the heap, so {@code java -jar shutterbus.jar} without flags gets the
 * JVM's default: a quarter of the machine's memory (6 GB on a 24 GB machine), which the heap then
 * grows into under load (the whole process reached 2.5 GB RSS after a few hundred uploads).
 * {@code bin/shutterbus} passes a bounded heap; started any other way without a heap flag, the
 * launcher says so once, with the fix.
 */
final class HeapAdvice {
  /** Above this, an unset heap is worth a line: the platform's live set is about 200 MB. */
  static final long BOUND_BYTES = 1024L * 1024 * 1024;
  private static final List<String> HEAP_FLAGS = List.of("-Xmx", "-XX:MaxHeapSize", "-XX:MaxRAMPercentage",
      "-XX:MaxRAM=", "-XX:MaxRAMFraction");

  private HeapAdvice() {
  }

  static Optional<String> forThisJvm() {
    return advice(Runtime.getRuntime().maxMemory(), ManagementFactory.getRuntimeMXBean().getInputArguments());
  }

  static Optional<String> advice(long maxHeapBytes, List<String> jvmArguments) {
    boolean explicit = jvmArguments.stream().anyMatch(arg -> HEAP_FLAGS.stream().anyMatch(arg::startsWith));
    if (explicit || maxHeapBytes <= BOUND_BYTES) {
      return Optional.empty();
    }
    return Optional.of("the heap may grow to " + maxHeapBytes / (1024 * 1024) + " MB (the JVM's default, a quarter "
        + "of this machine's memory); bin/shutterbus starts the platform with -Xmx512m, or pass -Xmx yourself");
  }
}
