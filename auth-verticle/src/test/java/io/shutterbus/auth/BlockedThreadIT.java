package io.shutterbus.auth;

import static io.shutterbus.auth.Accounts.PASSWORD;
import static io.shutterbus.auth.Accounts.registered;
import static io.shutterbus.auth.Accounts.uniqueEmail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shutterbus.events.Topics;
import io.shutterbus.kit.metrics.Metrics;
import io.shutterbus.testkit.Infra;
import io.shutterbus.testkit.InfraExtension;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.threadchecker.BlockedThreadEvent;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Argon2id runs on the hasher's worker pool: a burst of logins never holds an event loop. The
 * blocked-thread limit alone could not tell (one hash takes tens of ms, under any sane limit), so the
 * test also reads the pool's own metrics: the hashing pool must have run one task per login and
 * spent at least 20 ms per login in them, which it cannot if the hashing ran anywhere else.
 */
@ExtendWith(InfraExtension.class)
class BlockedThreadIT {

  @Test
  void fiftyConcurrentLoginsBlockNoEventLoop(Infra infra) throws Exception {
    infra.createTopics(new Topics(infra.topicPrefix()).all(), 3);
    VertxOptions strict = Metrics.vertxOptions()
        .setBlockedThreadCheckInterval(100).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
        .setMaxEventLoopExecuteTime(300).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS);
    PrometheusMeterRegistry registry = Metrics.newRegistry();
    Vertx vertx = Metrics.newVertx(registry, strict);
    List<BlockedThreadEvent> blocked = new CopyOnWriteArrayList<>();
    ((VertxInternal) vertx).blockedThreadChecker().setThreadBlockedHandler(blocked::add);
    try (AuthApp app = AuthApp.start(vertx, registry, infra.env()); Http http = new Http(app.port)) {
      String email = uniqueEmail("burst");
      registered(http, email);
      blocked.clear();  // the burst is what is under test; start-up is checked by its own log
      Timer hashingPool = registry.find("vertx.pool.usage").tag("pool_name", "auth-password-hashing").timer();
      assertNotNull(hashingPool, "the hashing pool reports its usage");
      long tasksBefore = hashingPool.count();
      double busySecondsBefore = hashingPool.totalTime(TimeUnit.SECONDS);

      String body = new JsonObject().put("email", email).put("password", PASSWORD).encode();
      List<Future<HttpResponse<Buffer>>> logins = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        logins.add(http.sendAsync(HttpMethod.POST, "/api/auth/login", body, Map.of()));
      }
      for (Future<HttpResponse<Buffer>> login : logins) {
        HttpResponse<Buffer> res = Http.await(login);
        assertEquals(200, res.statusCode(), res.bodyAsString());
      }
      assertTrue(blocked.isEmpty(), "blocked threads: " + blocked);
      long tasks = hashingPool.count() - tasksBefore;
      double busySeconds = hashingPool.totalTime(TimeUnit.SECONDS) - busySecondsBefore;
      assertTrue(tasks >= 50, "the hashing pool ran " + tasks + " tasks for 50 logins");
      assertTrue(busySeconds >= 50 * 0.020, "the hashing pool was busy " + busySeconds
          + " s for 50 Argon2id verifications: the hashing ran somewhere else");
    }
  }
}
