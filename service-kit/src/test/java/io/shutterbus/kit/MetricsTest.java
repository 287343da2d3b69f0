package io.shutterbus.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shutterbus.kit.metrics.Metrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The registry labels every series with its service, and a blocked event loop is counted. */
class MetricsTest {

  @Test
  void twoServicesInOneJvmKeepTheirSeriesApartAndTheJvmIsCountedOnce() throws Exception {
    PrometheusMeterRegistry a = Metrics.newRegistry("svc-a");
    PrometheusMeterRegistry b = Metrics.newRegistry("svc-b");
    Vertx va = Metrics.newVertx(a, Metrics.vertxOptions("svc-a", true));
    Vertx vb = Metrics.newVertx(b, Metrics.vertxOptions("svc-b", false));
    try {
      int port = vb.createHttpServer().requestHandler(req -> req.response().end("b")).listen(0, "127.0.0.1")
          .await(10, TimeUnit.SECONDS).actualPort();
      java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      Thread.sleep(200);  // the server records the request once the response has ended
      assertEquals(Set.of("svc-a"), serviceLabels(a.scrape()));
      assertEquals(Set.of("svc-b"), serviceLabels(b.scrape()));
      assertTrue(a.scrape().contains("jvm_memory_used_bytes"), "the first registry has the JVM's meters");
      assertTrue(!b.scrape().contains("jvm_memory_used_bytes"), "the others do not");
      assertTrue(b.scrape().contains("vertx_http_server_requests_total"), "b's server reports to b");
      assertTrue(!a.scrape().contains("vertx_http_server_requests_total"), "and not to a");
    } finally {
      va.close().await(10, TimeUnit.SECONDS);
      vb.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aBlockedEventLoopIsCounted() throws Exception {
    PrometheusMeterRegistry registry = Metrics.newRegistry("blocker");
    VertxOptions strict = Metrics.vertxOptions("blocker", false)
        .setBlockedThreadCheckInterval(50).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
        .setMaxEventLoopExecuteTime(100).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS);
    Vertx vertx = Metrics.newVertx(registry, strict);
    try {
      assertEquals(0.0, blocked(registry, "event-loop"));
      vertx.getOrCreateContext().runOnContext(v -> {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(600);
        while (System.nanoTime() < until) {
          Thread.onSpinWait();  // deliberately blocks the event loop
        }
      });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (blocked(registry, "event-loop") == 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertTrue(blocked(registry, "event-loop") >= 1, registry.scrape());
      assertEquals(0.0, blocked(registry, "worker"));
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static double blocked(PrometheusMeterRegistry registry, String pool) {
    return registry.get("shutterbus.vertx.thread.blocked").tag("pool", pool).counter().count();
  }

  private static Set<String> serviceLabels(String scrape) {
    return scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
        .map(l -> l.replaceAll(".*[{,]service=\"([^\"]*)\".*", "$1")).collect(Collectors.toSet());
  }
}
