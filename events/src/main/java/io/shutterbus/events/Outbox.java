package io.shutterbus.events;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The transactional outbox: an event is written as a row in the same PostgreSQL transaction as the
 * business row it describes, so either both exist or neither. {@link OutboxRelay} publishes the
 * rows afterwards. Every service keeps its outbox in its own schema ({@code <schema>.outbox}); an
 * insert notifies channel {@code <schema>_outbox} at commit, which wakes the relay.
 */
public final class Outbox {
  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,40}");

  private Outbox() {
  }

  /** Creates the outbox table, its indexes and the notify trigger unless they exist. Safe to run concurrently. */
  public static Future<Void> migrate(Pool pool, String schema) {
    String s = checkSchema(schema);
    String ddl = """
        create schema if not exists %1$s;
        create table if not exists %1$s.outbox (
          id          bigserial primary key,
          event_id    uuid not null unique,
          topic       text not null,
          key         text not null,
          headers     jsonb not null,
          payload     text not null,
          created_at  timestamptz not null default now(),
          sent_at     timestamptz,
          attempts    integer not null default 0,
          last_error  text
        );
        alter table %1$s.outbox add column if not exists parked_at timestamptz;
        alter table %1$s.outbox add column if not exists parked_reason text;
        create index if not exists outbox_pending_idx on %1$s.outbox (id) where sent_at is null;
        create index if not exists outbox_pending_key_idx on %1$s.outbox (key, id) where sent_at is null;
        create index if not exists outbox_sent_at_idx on %1$s.outbox (sent_at) where sent_at is not null;
        create or replace function %1$s.outbox_notify() returns trigger language plpgsql as $$
        begin
          perform pg_notify('%2$s', '');
          return null;
        end $$;
        do $$ begin
          if not exists (select 1 from pg_trigger
                         where tgname = 'outbox_notify' and tgrelid = '%1$s.outbox'::regclass) then
            create trigger outbox_notify after insert on %1$s.outbox
              for each statement execute function %1$s.outbox_notify();
          end if;
        end $$;
        """.formatted(s, channel(s));
    return pool.withTransaction(conn -> conn
        .query("set local client_min_messages = warning").execute()  // no "already exists, skipping" notices
        .compose(quiet -> conn.preparedQuery("select pg_advisory_xact_lock(hashtext($1))")
            .execute(Tuple.of("shutterbus.outbox." + s)))
        .compose(lock -> conn.query(ddl).execute())
        .<Void>mapEmpty());
  }

  /** Adds the event to the outbox inside {@code tx}, the caller's open transaction. */
  public static Future<Void> append(SqlConnection tx, String schema, EventEnvelope e) {
    UUID eventId;
    try {
      eventId = UUID.fromString(e.id());
    } catch (IllegalArgumentException bad) {
      return Future.failedFuture(new InvalidEventException("outbox event ids are UUIDs, got " + e.id()));
    }
    JsonObject headers = new JsonObject();
    e.headers().forEach(headers::put);
    return tx.preparedQuery("insert into " + table(schema)
            + " (event_id, topic, key, headers, payload) values ($1, $2, $3, $4, $5)")
        .execute(Tuple.of(eventId, e.topic(), e.key(), headers, e.value()))
        .mapEmpty();
  }

  /**
   * Puts parked rows back in line (all of the schema's, or only {@code ids} when not empty): the
   * relay publishes them at its next batch, and parks them again if Kafka still refuses them.
   * Same as the documented SQL {@code update <schema>.outbox set parked_at = null, parked_reason = null
   * where parked_at is not null and sent_at is null}. Returns how many rows were re-driven.
   */
  public static Future<Integer> redriveParked(Pool pool, String schema, List<Long> ids) {
    String sql = "update " + table(schema) + " set parked_at = null, parked_reason = null"
        + " where parked_at is not null and sent_at is null" + (ids.isEmpty() ? "" : " and id = any($1)");
    Future<Integer> updated = (ids.isEmpty() ? pool.query(sql).execute()
        : pool.preparedQuery(sql).execute(Tuple.of(ids.toArray(new Long[0])))).map(rs -> rs.rowCount());
    // Wake the relays now rather than at their next poll.
    return updated.compose(n -> pool.preparedQuery("select pg_notify($1, '')").execute(Tuple.of(channel(schema)))
        .map(n));
  }

  /** The LISTEN/NOTIFY channel of a schema's outbox. */
  public static String channel(String schema) {
    return checkSchema(schema) + "_outbox";
  }

  static String table(String schema) {
    return checkSchema(schema) + ".outbox";
  }

  static String checkSchema(String schema) {
    if (schema == null || !SCHEMA.matcher(schema).matches()) {
      throw new IllegalArgumentException("not a plain schema name: " + schema);
    }
    return schema;
  }
}
