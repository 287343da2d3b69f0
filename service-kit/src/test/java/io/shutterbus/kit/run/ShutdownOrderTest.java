package io.shutterbus.kit.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shutterbus.kit.http.Servers;
import io.shutterbus.kit.metrics.Metrics;
import io.shutterbus.kit.mgmt.ManagementVerticle;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The stop sequence on real servers: readiness answers 503 while the public port still serves, a
 * request in flight gets its answer, and the stages stop in order: HTTP, consumers, relays,
 * management.
 */
class ShutdownOrderTest {
  private static final List<String> STOPPED = new CopyOnWriteArrayList<>();

  /** A public server whose /slow answers after 1.5 s. */
  static final class Api extends VerticleBase {
    HttpServer server;

    @Override
    public Future<?> start() {
      return Servers.listen(vertx, new HttpServerOptions(), req -> {
        if (req.path().equals("/slow")) {
          vertx.setTimer(1500, t -> req.response().end("finished"));
        } else {
          req.response().end("ok");
        }
      }, "127.0.0.1", 0, "TEST_PORT").onSuccess(s -> server = s);
    }

    @Override
    public Future<?> stop() {
      return server.shutdown(5, TimeUnit.SECONDS).onComplete(v -> STOPPED.add("http"));
    }
  }

  private static volatile int managementPort;

  /** Stands for a consumer or a relay: records when it stops, and whether readiness still answers then. */
  static final class Worker extends VerticleBase {
    private final Shutdown.Stage stage;

    Worker(Shutdown.Stage stage) {
      this.stage = stage;
    }

    @Override
    public Future<?> start() {
      Shutdown.enrol(vertx, stage);
      return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
      WebClient probe = WebClient.create(vertx);
      return probe.get(managementPort, "127.0.0.1", "/health/ready").send()
          .map(res -> res.statusCode() == 503 ? "management up" : "management " + res.statusCode())
          .otherwise("management gone")
          .onComplete(ar -> {
            STOPPED.add(stage.name().toLowerCase() + " (" + ar.result() + ")");
            probe.close();
          });
    }
  }

  @Test
  void readinessGoesDownFirstAnInFlightRequestFinishesAndStagesStopInOrder() throws Exception {
    PrometheusMeterRegistry registry = Metrics.newRegistry();
    Vertx vertx = Metrics.newVertx(registry);
    Vertx clientVertx = Vertx.vertx();
    try {
      ManagementVerticle mgmt = new ManagementVerticle("test", "127.0.0.1", 0, "TEST_MANAGEMENT_PORT", null, null,
          registry);
      // Deployed in the "wrong" order on purpose: the sequence, not the deployment order, decides.
      vertx.deployVerticle(mgmt).await(10, TimeUnit.SECONDS);
      managementPort = mgmt.actualPort();
      vertx.deployVerticle(new Worker(Shutdown.Stage.RELAYS)).await(10, TimeUnit.SECONDS);
      vertx.deployVerticle(new Worker(Shutdown.Stage.CONSUMERS)).await(10, TimeUnit.SECONDS);
      Api api = new Api();
      vertx.deployVerticle(api).await(10, TimeUnit.SECONDS);
      int port = api.server.actualPort();
      WebClient client = WebClient.create(clientVertx);
      String ready = "/health/ready";
      assertEquals(200, client.get(mgmt.actualPort(), "127.0.0.1", ready).send().await(5, TimeUnit.SECONDS).statusCode());

      Future<HttpResponse<Buffer>> inFlight = client.get(port, "127.0.0.1", "/slow").send();
      Thread.sleep(200);
      Future<Void> stopped = Shutdown.of(vertx).run(vertx, Duration.ofMillis(800));

      HttpResponse<Buffer> readiness = client.get(mgmt.actualPort(), "127.0.0.1", ready).send().await(5, TimeUnit.SECONDS);
      assertEquals(503, readiness.statusCode());
      assertTrue(readiness.bodyAsString().contains("\"shutdown\""), readiness.bodyAsString());
      assertEquals(200, client.get(port, "127.0.0.1", "/").send().await(5, TimeUnit.SECONDS).statusCode(),
          "during the grace period the public port still serves");

      HttpResponse<Buffer> slow = inFlight.await(10, TimeUnit.SECONDS);
      assertEquals("finished", slow.bodyAsString(), "the request in flight got its whole answer");
      stopped.await(15, TimeUnit.SECONDS);
      assertEquals(List.of("http", "consumers (management up)", "relays (management up)"), STOPPED);
      Future<HttpResponse<Buffer>> afterwards = client.get(managementPort, "127.0.0.1", ready).send();
      afterwards.otherwiseEmpty().await(5, TimeUnit.SECONDS);
      assertTrue(afterwards.failed(), "the management server stopped last, after the relays");
    } finally {
      clientVertx.close().await(10, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
