package io.shutterbus.platform.images;

import io.shutterbus.testkit.http.Multipart;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.platform.PlatformExtension;
import io.shutterbus.platform.PlatformUnderTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The PostgreSQL connection budget of docs/architecture.md, measured on the one-command platform
 * under load: each service that uses the database holds at most PG_POOL_SIZE (its one shared pool)
 * + 1 (readiness probe) + 1 (the outbox relay's LISTEN), however many verticle instances it runs.
 * Every connection names its pool ({@code application_name}), so a pool outside the budget shows.
 */
@ExtendWith(PlatformExtension.class)
class ConnectionBudgetIT {
  /** The services that use the database; gateway and portal hold no connection. */
  private static final List<String> DATABASE_SERVICES = List.of("auth", "image", "image-worker");
  /** Connections by the name their pool gives them; JDBC connections are this test's and its helpers'. */
  private static final String BY_APPLICATION = "select application_name, count(*) from pg_stat_activity"
      + " where datname = current_database() and backend_type = 'client backend' and pid <> pg_backend_pid()"
      + " and application_name <> 'PostgreSQL JDBC Driver' group by application_name";

  @Test
  void theWholePlatformHoldsNoMoreConnectionsThanItsBudgetUnderLoad(PlatformUnderTest platform) throws Exception {
    int poolSize = Integer.parseInt(platform.env.getOrDefault("PG_POOL_SIZE", "8"));
    int perService = poolSize + 2;  // the shared pool, the readiness probe, the outbox relay's LISTEN
    int budget = DATABASE_SERVICES.size() * perService;
    String url = "jdbc:postgresql://127.0.0.1:" + platform.env.get("EMBEDDED_PG_PORT") + "/shutterbus";
    AtomicBoolean loading = new AtomicBoolean(true);
    AtomicInteger peak = new AtomicInteger();
    ConcurrentLinkedQueue<String> overBudget = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    ExecutorService load = Executors.newFixedThreadPool(33);
    try (Gateway gateway = new Gateway(Integer.parseInt(platform.env.get("GATEWAY_PORT")));
         Connection db = DriverManager.getConnection(url, "postgres", "")) {
      String token = gateway.newUser("Budget");
      Future<?> sampler = load.submit(() -> {
        while (loading.get()) {
          Map<String, Integer> byName = connections(db);
          peak.accumulateAndGet(byName.values().stream().mapToInt(Integer::intValue).sum(), Math::max);
          overBudget.addAll(violations(byName, poolSize, perService));
          Thread.sleep(10);
        }
        return null;
      });
      List<Future<?>> clients = new ArrayList<>();
      for (int c = 0; c < 32; c++) {
        int client = c;
        clients.add(load.submit(() -> {
          for (int i = 0; i < 40; i++) {
            // Reads on both database services, and now and then an upload, which sets the image
            // worker, both outbox relays and auth's consumer to work at the same time.
            String path = i % 2 == 0 ? "/api/me" : "/api/images";
            HttpResponse<Buffer> res = i == 20 && client % 4 == 0
                ? gateway.upload(token, new Multipart().file("image", "b" + client + ".png", "image/png",
                    Pictures.png(40 + client, 30)).build())
                : gateway.get(path, token);
            if (res.statusCode() >= 300) {
              failures.add(path + " " + res.statusCode() + " " + res.bodyAsString());
            }
          }
        }));
      }
      for (Future<?> f : clients) {
        f.get(3, TimeUnit.MINUTES);
      }
      loading.set(false);
      sampler.get(10, TimeUnit.SECONDS);

      assertEquals(List.of(), List.copyOf(failures), "every request answered while the budget held");
      assertEquals(List.of(), overBudget.stream().distinct().toList(), "each service within PG_POOL_SIZE + 2");
      assertTrue(peak.get() <= budget, "peak " + peak.get() + " connections, budget " + DATABASE_SERVICES.size()
          + " x (" + poolSize + " + 2) = " + budget);
      assertTrue(peak.get() >= poolSize, "the load filled a pool (peak " + peak.get() + "), so the count means something");
    } finally {
      loading.set(false);
      load.shutdownNow();
      load.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private static Map<String, Integer> connections(Connection db) throws SQLException {
    Map<String, Integer> byName = new HashMap<>();
    try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(BY_APPLICATION)) {
      while (rs.next()) {
        byName.put(rs.getString(1), rs.getInt(2));
      }
    }
    return byName;
  }

  /** What breaks the budget in one sample: a pool of unknown origin, or a service over its share. */
  private static List<String> violations(Map<String, Integer> byName, int poolSize, int perService) {
    List<String> bad = new ArrayList<>();
    Map<String, Integer> perServiceNow = new HashMap<>();
    byName.forEach((name, n) -> {
      String service = DATABASE_SERVICES.stream()
          .filter(s -> name.equals(s) || name.equals(s + "-health") || name.equals(s + "-listen")
              || name.equals(s + "-migrations"))
          .findFirst().orElse(null);
      if (service == null) {
        bad.add("connections outside any service's budget: " + name);
      } else {
        perServiceNow.merge(service, n, Integer::sum);
      }
      if (DATABASE_SERVICES.contains(name) && n > poolSize) {
        bad.add(name + "'s pool holds " + n + " > PG_POOL_SIZE " + poolSize);
      }
    });
    perServiceNow.forEach((service, n) -> {
      if (n > perService) {
        bad.add(service + " holds " + n + " > " + perService + ": " + byName);
      }
    });
    return bad;
  }
}
