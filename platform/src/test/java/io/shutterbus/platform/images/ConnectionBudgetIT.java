package io.shutterbus.platform.images;

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
import java.util.List;
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
 */
@ExtendWith(PlatformExtension.class)
class ConnectionBudgetIT {
  private static final int DATABASE_SERVICES = 3;  // auth, image, image-worker; gateway and portal hold none
  private static final String COUNT = "select count(*) from pg_stat_activity where datname = current_database()"
      + " and backend_type = 'client backend' and pid <> pg_backend_pid()";

  @Test
  void theWholePlatformHoldsNoMoreConnectionsThanItsBudgetUnderLoad(PlatformUnderTest platform) throws Exception {
    int poolSize = Integer.parseInt(platform.env.getOrDefault("PG_POOL_SIZE", "8"));
    int budget = DATABASE_SERVICES * (poolSize + 2);
    String url = "jdbc:postgresql://127.0.0.1:" + platform.env.get("EMBEDDED_PG_PORT") + "/shutterbus";
    AtomicBoolean loading = new AtomicBoolean(true);
    AtomicInteger peak = new AtomicInteger();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    ExecutorService load = Executors.newFixedThreadPool(33);
    try (Gateway gateway = new Gateway(Integer.parseInt(platform.env.get("GATEWAY_PORT")));
         Connection db = DriverManager.getConnection(url, "postgres", "")) {
      String token = gateway.newUser("Budget");
      Future<?> sampler = load.submit(() -> {
        while (loading.get()) {
          peak.accumulateAndGet(count(db), Math::max);
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
      assertTrue(peak.get() <= budget, "peak " + peak.get() + " connections, budget " + DATABASE_SERVICES + " x ("
          + poolSize + " + 2) = " + budget);
      assertTrue(peak.get() >= poolSize, "the load filled a pool (peak " + peak.get() + "), so the count means something");
    } finally {
      loading.set(false);
      load.shutdownNow();
      load.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private static int count(Connection db) throws SQLException {
    try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(COUNT)) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
