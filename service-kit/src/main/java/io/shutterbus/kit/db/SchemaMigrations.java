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
 * leaves nothing half done. Applied versions are recorded in {@code <schema>.schema_version}
 * (version, description, applied_at). This is the only migration mechanism of Shutterbus: every
 * service keeps its SQL as {@code /db/<schema>/V<n>__<what>.sql} and runs it through here.
 *
 * <p>Upgrade path: before this class, the image service had a private copy whose
 * {@code schema_version} had no {@code description} column. Such a table is brought to this
 * layout in the same transaction (the column added, old rows described as
 * {@value #LEGACY_DESCRIPTION}), so a data directory migrated by the old mechanism goes on from
 * its recorded version. A schema at a version this build does not know stops the start.
 */
public final class SchemaMigrations {
  static final String LEGACY_DESCRIPTION = "(recorded by the image service's former migration code)";
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
        .compose(v -> upgradeLegacyLayout(conn, schema))
        .compose(v -> conn.query("select coalesce(max(version), 0) from " + schema + ".schema_version").execute())
        .compose(rows -> applyFrom(conn, schema, migrations, rows.iterator().next().getInteger(0))));
  }

  /** A version table without descriptions (the image service's former layout) gets the column. */
  private static Future<Void> upgradeLegacyLayout(SqlConnection conn, String schema) {
    String table = schema + ".schema_version";
    return conn.query("alter table " + table + " add column if not exists description text").execute()
        .compose(v -> conn.preparedQuery("update " + table + " set description = $1 where description is null")
            .execute(Tuple.of(LEGACY_DESCRIPTION)))
        .compose(v -> conn.query("alter table " + table + " alter column description set not null").execute())
        .mapEmpty();
  }

  private static Future<Integer> applyFrom(SqlConnection conn, String schema, List<Migration> migrations, int current) {
    int known = migrations.stream().mapToInt(Migration::version).max().orElse(0);
    if (current > known) {
      return Future.failedFuture(new IllegalStateException("schema " + schema + " is at version " + current
          + ", newer than this build knows (" + known + "); run a newer build"));
    }
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
