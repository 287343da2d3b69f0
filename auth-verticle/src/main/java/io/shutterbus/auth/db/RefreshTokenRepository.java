package io.shutterbus.auth.db;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Refresh-token families. Tokens are looked up by their SHA-256 only. Rotation runs in one
 * transaction with the presented row locked, so two concurrent uses of one token cannot both
 * succeed: the second sees it used and revokes the family, as a replay must.
 */
public final class RefreshTokenRepository {
  /** The outcome of presenting a refresh token. */
  public sealed interface Rotation {
  }

  /** The token was current: it is now used, and its successor (same family) is stored. */
  public record Rotated(UUID userId, String email) implements Rotation {
  }

  /** The token had been used already: someone replayed it, and its whole family is now revoked. */
  public record Replayed(UUID familyId) implements Rotation {
  }

  /** Unknown, expired or revoked. */
  public record Rejected() implements Rotation {
  }

  private final Pool pool;

  public RefreshTokenRepository(Pool pool) {
    this.pool = pool;
  }

  /** Stores the first token of a new family (a login). */
  public Future<Void> startFamily(UUID userId, byte[] tokenHash, Instant expiresAt) {
    return pool.withConnection(conn -> insert(conn, tokenHash, UUID.randomUUID(), userId, expiresAt));
  }

  public Future<Rotation> rotate(byte[] presentedHash, byte[] successorHash, Instant successorExpiresAt) {
    return pool.withTransaction(tx -> tx
        .preparedQuery("select t.family_id, t.user_id, t.expires_at, t.used_at, t.revoked_at, u.email"
            + " from auth.refresh_tokens t join auth.users u on u.id = t.user_id where t.token_hash = $1 for update of t")
        .execute(Tuple.of(Buffer.buffer(presentedHash)))
        .compose(rows -> {
          if (!rows.iterator().hasNext()) {
            return Future.succeededFuture(new Rejected());
          }
          Row r = rows.iterator().next();
          UUID family = r.getUUID("family_id");
          if (r.getValue("revoked_at") != null) {
            return Future.succeededFuture(new Rejected());
          }
          if (r.getValue("used_at") != null) {
            return revokeFamily(tx, family).map(new Replayed(family));
          }
          if (r.getOffsetDateTime("expires_at").toInstant().isBefore(Instant.now())) {
            return Future.succeededFuture(new Rejected());
          }
          UUID userId = r.getUUID("user_id");
          return tx.preparedQuery("update auth.refresh_tokens set used_at = now() where token_hash = $1")
              .execute(Tuple.of(Buffer.buffer(presentedHash)))
              .compose(v -> insert(tx, successorHash, family, userId, successorExpiresAt))
              .map(new Rotated(userId, r.getString("email")));
        }));
  }

  /** Logout: revokes the family of the presented token (the whole session, on every rotation of it). */
  public Future<Void> revokeFamilyOf(byte[] tokenHash) {
    return pool.preparedQuery("update auth.refresh_tokens set revoked_at = now() where revoked_at is null"
            + " and family_id = (select family_id from auth.refresh_tokens where token_hash = $1)")
        .execute(Tuple.of(Buffer.buffer(tokenHash))).mapEmpty();
  }

  /**
   * Deletes tokens expired for more than a day (an expired token is refused anyway; the day keeps a
   * late replay recognisable as one). Returns how many went.
   */
  public Future<Integer> deleteExpired() {
    return pool.preparedQuery("delete from auth.refresh_tokens where expires_at < now() - interval '1 day'")
        .execute().map(rows -> rows.rowCount());
  }

  private static Future<Void> revokeFamily(SqlConnection conn, UUID family) {
    return conn.preparedQuery("update auth.refresh_tokens set revoked_at = now() where family_id = $1 and revoked_at is null")
        .execute(Tuple.of(family)).mapEmpty();
  }

  private static Future<Void> insert(SqlConnection conn, byte[] hash, UUID family, UUID userId, Instant expiresAt) {
    return conn.preparedQuery("insert into auth.refresh_tokens (token_hash, family_id, user_id, expires_at)"
            + " values ($1, $2, $3, $4)")
        .execute(Tuple.of(Buffer.buffer(hash), family, userId, expiresAt.atOffset(ZoneOffset.UTC))).mapEmpty();
  }
}
