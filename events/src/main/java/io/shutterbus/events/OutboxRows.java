package io.shutterbus.events;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The SQL of the relay, for one schema's outbox. */
final class OutboxRows {
  /** A pending row, claimed (locked) by the transaction that read it. */
  record Pending(long id, String topic, String key, Map<String, String> headers, String payload) {
  }

  private final String table;
  private final String claimSql;

  OutboxRows(String schema) {
    this.table = Outbox.table(schema);
    // Only the oldest pending row of each key is eligible, so one key's events go out in id order
    // even with several relays: the next row of a key waits until the one before it is committed
    // as sent. A parked row (Kafka refused it for good) is out of line: it holds up neither its key
    // nor anything else until it is re-driven. SKIP LOCKED lets replicas share the work without waiting on each other.
    this.claimSql = "select o.id, o.topic, o.key, o.headers, o.payload from " + table + " o"
        + " where o.sent_at is null and o.parked_at is null"
        + " and not exists (select 1 from " + table + " p where p.key = o.key and p.sent_at is null"
        + " and p.parked_at is null and p.id < o.id)"
        + " order by o.id limit $1 for update of o skip locked";
  }

  Future<List<Pending>> claim(SqlConnection tx, int limit) {
    return tx.preparedQuery(claimSql).execute(Tuple.of(limit)).map(rows -> {
      List<Pending> out = new ArrayList<>();
      for (Row r : rows) {
        Map<String, String> headers = new LinkedHashMap<>();
        JsonObject h = r.getJsonObject("headers");
        h.forEach(e -> headers.put(e.getKey(), String.valueOf(e.getValue())));
        out.add(new Pending(r.getLong("id"), r.getString("topic"), r.getString("key"), headers,
            r.getString("payload")));
      }
      return out;
    });
  }

  Future<Void> markSent(SqlConnection tx, List<Long> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    return tx.preparedQuery("update " + table
            + " set sent_at = now(), attempts = attempts + 1, last_error = null where id = any($1)")
        .execute(Tuple.of(ids.toArray(new Long[0]))).mapEmpty();
  }

  Future<Void> markFailed(SqlConnection tx, List<Long> ids, String error) {
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    return tx.preparedQuery("update " + table + " set attempts = attempts + 1, last_error = $2 where id = any($1)")
        .execute(Tuple.of(ids.toArray(new Long[0]), truncate(error))).mapEmpty();
  }

  /**
   * Marks rows Kafka refused for good (too large, unknown or forbidden topic...): they leave the
   * line until {@link Outbox#redriveParked} puts them back.
   */
  Future<Void> park(SqlConnection tx, List<Long> ids, String reason) {
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    return tx.preparedQuery("update " + table + " set parked_at = now(), parked_reason = $2, attempts = attempts + 1,"
            + " last_error = $2 where id = any($1)")
        .execute(Tuple.of(ids.toArray(new Long[0]), truncate(reason))).mapEmpty();
  }

  /** Rows waiting to be sent, how long the oldest of them has waited (0 when none), and rows parked: one scan. */
  record Backlog(long pending, double oldestPendingAgeSeconds, long parked) {
  }

  Future<Backlog> countBacklog(Pool pool) {
    return pool.query("select count(*) filter (where parked_at is null),"
            + " coalesce(extract(epoch from now() - min(created_at) filter (where parked_at is null)), 0)::float8,"
            + " count(*) filter (where parked_at is not null)"
            + " from " + table + " where sent_at is null").execute()
        .map(rows -> {
          Row r = rows.iterator().next();
          return new Backlog(r.getLong(0), r.getDouble(1), r.getLong(2));
        });
  }

  Future<Integer> deleteSentBefore(Pool pool, long retentionSeconds) {
    return pool.preparedQuery("delete from " + table + " where sent_at < now() - make_interval(secs => $1)")
        .execute(Tuple.of((double) retentionSeconds)).map(rs -> rs.rowCount());
  }

  private static String truncate(String s) {
    if (s == null) {
      return "unknown error";
    }
    return s.length() <= 500 ? s : s.substring(0, 500);
  }
}
