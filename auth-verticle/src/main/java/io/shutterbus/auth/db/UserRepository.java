package io.shutterbus.auth.db;

import io.shutterbus.auth.domain.AccountExistsException;
import io.shutterbus.auth.domain.Profile;
import io.shutterbus.auth.domain.User;
import io.shutterbus.events.EventEnvelope;
import io.shutterbus.events.Outbox;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/** Accounts: creation (with its event, in one transaction), lookup for login, and the profile. */
public final class UserRepository {
  /** What login needs: the id, the normalised e-mail (for roles) and the hash to check against. */
  public record StoredCredentials(UUID id, String email, String passwordHash) {
    @Override
    public String toString() {
      return "StoredCredentials[" + id + "]";
    }
  }

  private final Pool pool;

  public UserRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Inserts the account, its profile figures and {@code registered} into the outbox in ONE
   * transaction. An e-mail already taken (in any letter case) fails with {@link AccountExistsException}.
   */
  public Future<User> create(User user, String passwordHash, EventEnvelope registered) {
    return pool.withTransaction(tx -> tx
            .preparedQuery("insert into auth.users (id, email, name, password_hash, created_at) values ($1, $2, $3, $4, $5)")
            .execute(Tuple.of(user.id(), user.email(), user.name(), passwordHash,
                user.createdAt().atOffset(ZoneOffset.UTC)))
            .compose(v -> tx.preparedQuery("insert into auth.user_stats (user_id) values ($1)").execute(Tuple.of(user.id())))
            .compose(v -> Outbox.append(tx, AuthSchema.NAME, registered)))
        .map(user)
        .recover(err -> Future.failedFuture(isEmailTaken(err) ? new AccountExistsException() : err));
  }

  public Future<Optional<StoredCredentials>> findCredentials(String normalizedEmail) {
    return pool.preparedQuery("select id, email, password_hash from auth.users where lower(email) = $1")
        .execute(Tuple.of(normalizedEmail))
        .map(rows -> first(rows).map(r -> new StoredCredentials(r.getUUID("id"), r.getString("email"),
            r.getString("password_hash"))));
  }

  public Future<Optional<Profile>> profile(UUID id) {
    return pool.preparedQuery("select u.id, u.email, u.name, u.created_at, s.avatar_url, coalesce(s.image_count, 0) as image_count"
            + " from auth.users u left join auth.user_stats s on s.user_id = u.id where u.id = $1")
        .execute(Tuple.of(id))
        .map(rows -> first(rows).map(r -> new Profile(r.getUUID("id"), r.getString("email"), r.getString("name"),
            r.getString("avatar_url"), r.getOffsetDateTime("created_at").toInstant(), r.getInteger("image_count"))));
  }

  private static Optional<Row> first(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
  }

  private static boolean isEmailTaken(Throwable err) {
    return err instanceof PgException pg && "23505".equals(pg.getSqlState())
        && "users_email_key".equals(pg.getConstraint());
  }
}
