package io.shutterbus.kit.db;

import io.shutterbus.kit.config.PgSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL pools with every limit set: a bounded wait queue and short connect and acquire
 * timeouts, so an outage answers 503 in about two seconds instead of piling requests up.
 */
public final class PgPools {
  private PgPools() {
  }

  public static PgConnectOptions connectOptions(PgSettings pg) {
    return connectOptions(pg, "shutterbus");
  }

  /**
   * Connect options whose connections show as {@code applicationName} in {@code pg_stat_activity},
   * so an operator (and ConnectionBudgetIT) can tell which service and pool holds each connection.
   */
  public static PgConnectOptions connectOptions(PgSettings pg, String applicationName) {
    return new PgConnectOptions()
        .setHost(pg.host()).setPort(pg.port()).setDatabase(pg.database())
        .setUser(pg.user()).setPassword(pg.password())
        .setCachePreparedStatements(true)
        .setReconnectAttempts(0)
        .addProperty("application_name", applicationName);
  }

  /** A pool of its own, for one-off work (migrations) and probes that must not queue behind traffic. */
  public static Pool create(Vertx vertx, PgSettings pg, String name, int maxSize) {
    return build(vertx, pg, name, maxSize, false);
  }

  /**
   * A one-connection pool for start-up work (schema migrations): start-up is not a request that must
   * fail fast, so it waits up to {@link #STARTUP_CONNECT_TIMEOUT_MS} for a connection (at least the
   * service's own timeout). With the serving timeout (1.5 s) a start on a busy machine (a CI box, a
   * node packed with pods starting together) failed its migrations on a slow connect.
   */
  public static Pool forStartup(Vertx vertx, PgSettings pg, String name) {
    PgSettings patient = new PgSettings(pg.host(), pg.port(), pg.database(), pg.user(), pg.password(), 1,
        Math.max(pg.connectTimeoutMs(), STARTUP_CONNECT_TIMEOUT_MS));
    return build(vertx, patient, name, 1, false);
  }

  /** How long start-up work waits for a PostgreSQL connection. */
  public static final int STARTUP_CONNECT_TIMEOUT_MS = 15_000;

  /**
   * Closes a pool without waiting on it for ever: Vert.x 5.0.7 can leave a pool's close future
   * uncompleted when an acquire times out while the pool closes ("Promise already completed" in
   * SqlConnectionPool), and a start-up chained on that close then never finishes.
   */
  public static Future<Void> closeBounded(Pool pool) {
    return pool.close().timeout(5, TimeUnit.SECONDS).otherwiseEmpty();
  }

  /**
   * The service's one pool of {@code PG_POOL_SIZE} connections: every verticle of the process that
   * asks with the same {@code service} name (each HTTP instance, the outbox relay, the consumers)
   * gets a handle on the same connections, so the process's budget does not grow with its verticle
   * instances. Close each handle in its verticle's stop; the last one closed closes the pool.
   */
  public static Pool shared(Vertx vertx, PgSettings pg, String service) {
    return build(vertx, pg, service, pg.poolSize(), true);
  }

  private static Pool build(Vertx vertx, PgSettings pg, String name, int maxSize, boolean shared) {
    return PgBuilder.pool()
        .with(new PoolOptions()
            .setShared(shared)
            // Shared by instances on several event loops: spread its connections over as many loops.
            .setEventLoopSize(shared ? Math.max(1, Runtime.getRuntime().availableProcessors()) : 0)
            .setName(name)
            .setMaxSize(maxSize)
            .setMaxWaitQueueSize(Math.max(64, maxSize * 32))
            .setConnectionTimeout(pg.connectTimeoutMs()).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
            .setIdleTimeout(60).setIdleTimeoutUnit(TimeUnit.SECONDS)
            .setMaxLifetime(30).setMaxLifetimeUnit(TimeUnit.MINUTES)
            .setPoolCleanerPeriod(5000))
        .with(new NetClientOptions().setConnectTimeout(pg.connectTimeoutMs()).setTcpKeepAlive(true))
        .connectingTo(connectOptions(pg, name))
        .using(vertx)
        .build();
  }
}
