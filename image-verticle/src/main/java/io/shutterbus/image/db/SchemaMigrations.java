package io.shutterbus.image.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Plain versioned SQL for one schema: migration n is {@code migrations.get(n - 1)}; applied ones are
 * recorded in {@code <schema>.schema_version}. All of it runs in one transaction under an advisory
 * lock, so replicas starting together migrate once and a failed migration leaves nothing behind.
 */
final class SchemaMigrations {
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

  private SchemaMigrations() {
  }

  static Future<Integer> apply(Pool pool, String schema, List<String> migrations) {
    if (!IDENTIFIER.matcher(schema).matches()) {
      throw new IllegalArgumentException("not a plain schema name: " + schema);
    }
    return pool.withTransaction(conn -> conn
        .query("set local client_min_messages = warning").execute()  // no "already exists, skipping" notices
        .compose(quiet -> conn.query("select pg_advisory_xact_lock(hashtext('shutterbus.migrate." + schema + "'))")
            .execute())
        .compose(v -> conn.query("create schema if not exists " + schema + ";"
            + " create table if not exists " + schema + ".schema_version ("
            + "version integer primary key, applied_at timestamptz not null default now())").execute())
        .compose(v -> conn.query("select coalesce(max(version), 0) as version from " + schema + ".schema_version").execute())
        .compose(rows -> applyFrom(conn, schema, migrations, rows.iterator().next().getInteger("version"))));
  }

  private static Future<Integer> applyFrom(SqlConnection conn, String schema, List<String> migrations, int current) {
    if (current > migrations.size()) {
      return Future.failedFuture(new IllegalStateException("schema " + schema + " is at version " + current
          + ", newer than this build knows (" + migrations.size() + "); run a newer build"));
    }
    Future<Integer> chain = Future.succeededFuture(current);
    for (int version = current + 1; version <= migrations.size(); version++) {
      int v = version;
      chain = chain.compose(x -> conn.query(migrations.get(v - 1)).execute())
          .compose(x -> conn.query("insert into " + schema + ".schema_version (version) values (" + v + ")").execute())
          .map(x -> v);
    }
    return chain;
  }
}
