package io.shutterbus.kit.db;

import io.shutterbus.kit.config.PgSettings;
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
    return new PgConnectOptions()
        .setHost(pg.host()).setPort(pg.port()).setDatabase(pg.database())
        .setUser(pg.user()).setPassword(pg.password())
        .setCachePreparedStatements(true)
        .setReconnectAttempts(0);
  }

  public static Pool create(Vertx vertx, PgSettings pg, String name, int maxSize) {
    return PgBuilder.pool()
        .with(new PoolOptions()
            .setName(name)
            .setMaxSize(maxSize)
            .setMaxWaitQueueSize(Math.max(64, maxSize * 32))
            .setConnectionTimeout(pg.connectTimeoutMs()).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
            .setIdleTimeout(60).setIdleTimeoutUnit(TimeUnit.SECONDS)
            .setMaxLifetime(30).setMaxLifetimeUnit(TimeUnit.MINUTES)
            .setPoolCleanerPeriod(5000))
        .with(new NetClientOptions().setConnectTimeout(pg.connectTimeoutMs()).setTcpKeepAlive(true))
        .connectingTo(connectOptions(pg))
        .using(vertx)
        .build();
  }
}
