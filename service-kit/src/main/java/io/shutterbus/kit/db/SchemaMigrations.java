package io.shutterbus.kit.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Plain versioned SQL migrations for one schema, applied at start in ONE transaction under an
 * advisory lock, so replicas starting together apply each version once and a failed migration
 * leaves nothing half done. Applied versions are recorded in {@code <schema>.schema_version}.
 */
public final class SchemaMigrations {
  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,40}");

  /** One version: {@code sql} may hold several statements. */
  public record Migration(int version, String description, String sql) {
  }

  private SchemaMigrations() {
  }

  /** Reads a migration from the classpath (blocking: call it off the event loop, at start). */
  public static Migration resource(Class<?> anchor, int version, String description, String path) {
    try (InputStream in = anchor.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("migration " + path + " is missing from the classpath");
      }
      return new Migration(version, description, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Applies the versions above the recorded one, in order; answers how many it applied. */
  public static Future<Integer> run(Pool pool, String schema, List<Migration> migrations) {
    if (!SCHEMA.matcher(schema).matches()) {
      throw new IllegalArgumentException("not a plain schema name: " + schema);
    }
    return pool.withTransaction(conn -> conn
        .query("set local client_min_messages = warning").execute()  // no "already exists, skipping" notices
        .compose(quiet -> conn.preparedQuery("select pg_advisory_xact_lock(hashtext($1))")
            .execute(Tuple.of("shutterbus.migrations." + schema)))
        .compose(v -> conn.query("create schema if not exists " + schema + "; create table if not exists " + schema
            + ".schema_version (version integer primary key, description text not null,"
            + " applied_at timestamptz not null default now())").execute())
        .compose(v -> conn.query("select coalesce(max(version), 0) from " + schema + ".schema_version").execute())
        .compose(rows -> applyFrom(conn, schema, migrations, rows.iterator().next().getInteger(0))));
  }

  private static Future<Integer> applyFrom(SqlConnection conn, String schema, List<Migration> migrations, int current) {
    List<Migration> pending = migrations.stream().filter(m -> m.version() > current)
        .sorted((a, b) -> Integer.compare(a.version(), b.version())).toList();
    Future<Void> chain = Future.succeededFuture();
    for (Migration m : pending) {
      chain = chain.compose(v -> conn.query(m.sql()).execute())
          .compose(v -> conn.preparedQuery("insert into " + schema + ".schema_version (version, description)"
              + " values ($1, $2)").execute(Tuple.of(m.version(), m.description())))
          .mapEmpty();
    }
    return chain.map(v -> pending.size());
  }
}
