package io.shutterbus.kit.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.VertxException;
import io.vertx.core.internal.threadchecker.BlockedThreadEvent;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts Vert.x's blocked-thread reports as {@code shutterbus_vertx_thread_blocked_total{pool}}
 * ({@code pool} is {@code event-loop} or {@code worker}) and logs them as Vert.x would. A handler
 * replaces Vert.x's own warning, so the log line and its stack (past the warning-exception time)
 * are kept here. The checker reports once per check interval (1 s) while a thread stays blocked,
 * so the counter grows with the time spent blocked.
 */
final class BlockedThreadMeter implements Handler<BlockedThreadEvent> {
  private static final Logger LOG = LoggerFactory.getLogger("io.vertx.core.impl.BlockedThreadChecker");
  private final Counter eventLoop;
  private final Counter worker;

  BlockedThreadMeter(MeterRegistry registry) {
    eventLoop = counter(registry, "event-loop");
    worker = counter(registry, "worker");
  }

  private static Counter counter(MeterRegistry registry, String pool) {
    return Counter.builder("shutterbus.vertx.thread.blocked")
        .description("Blocked-thread reports of the Vert.x checker (one per check interval while blocked)")
        .tag("pool", pool).register(registry);
  }

  @Override
  public void handle(BlockedThreadEvent event) {
    boolean loop = event.thread().getName().contains("eventloop");
    (loop ? eventLoop : worker).increment();
    String message = "Thread " + event.thread().getName() + " has been blocked for "
        + TimeUnit.NANOSECONDS.toMillis(event.duration()) + " ms, time limit is "
        + TimeUnit.NANOSECONDS.toMillis(event.maxExecTime()) + " ms";
    if (event.duration() <= event.warningExceptionTime()) {
      LOG.warn(message);
    } else {
      VertxException stuck = new VertxException("Thread blocked");
      stuck.setStackTrace(event.thread().getStackTrace());
      LOG.warn(message, stuck);
    }
  }
}
