package io.shutterbus.auth.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Granted roles ({@code auth.user_roles}) and their audit trail ({@code auth.role_changes}). Tokens
 * read the roles at every issue (login and refresh); grants and revokes come only from an operator
 * ({@code bin/admin}), each in one transaction with its audit row.
 */
public final class RoleRepository {
  /** One administrator as {@code bin/admin list} shows it. */
  public record Grant(String email, String role, Instant grantedAt, String grantedBy) {
  }

  /** What a grant or revoke did. */
  public enum Change { CHANGED, UNCHANGED, NO_SUCH_ACCOUNT }

  private final Pool pool;

  public RoleRepository(Pool pool) {
    this.pool = pool;
  }

  /** The granted roles of an account (not including the implicit {@code user}). */
  public Future<List<String>> rolesOf(UUID userId) {
    return pool.preparedQuery("select role from auth.user_roles where user_id = $1 order by role")
        .execute(Tuple.of(userId))
        .map(rows -> {
          List<String> roles = new ArrayList<>();
          rows.forEach(r -> roles.add(r.getString("role")));
          return roles;
        });
  }

  public Future<Change> grant(String email, String role, String operator) {
    return change(email, role, operator, "grant",
        "insert into auth.user_roles (user_id, role, granted_by) values ($1, $2, $3) on conflict do nothing",
        true);
  }

  public Future<Change> revoke(String email, String role, String operator) {
    return change(email, role, operator, "revoke", "delete from auth.user_roles where user_id = $1 and role = $2",
        false);
  }

  public Future<List<Grant>> list() {
    return pool.query("select u.email, r.role, r.granted_at, r.granted_by from auth.user_roles r"
            + " join auth.users u on u.id = r.user_id order by r.role, u.email").execute()
        .map(rows -> {
          List<Grant> grants = new ArrayList<>();
          for (Row r : rows) {
            grants.add(new Grant(r.getString("email"), r.getString("role"),
                r.getOffsetDateTime("granted_at").toInstant(), r.getString("granted_by")));
          }
          return grants;
        });
  }

  private Future<Change> change(String email, String role, String operator, String action, String sql,
                                boolean withOperator) {
    String normalized = email.trim().toLowerCase(Locale.ROOT);
    return pool.withTransaction(tx -> tx
        .preparedQuery("select id, email from auth.users where lower(email) = $1").execute(Tuple.of(normalized))
        .compose(rows -> {
          if (!rows.iterator().hasNext()) {
            return Future.succeededFuture(Change.NO_SUCH_ACCOUNT);
          }
          Row user = rows.iterator().next();
          UUID id = user.getUUID("id");
          Tuple args = withOperator ? Tuple.of(id, role, operator) : Tuple.of(id, role);
          return tx.preparedQuery(sql).execute(args).compose(done -> done.rowCount() == 0
              ? Future.succeededFuture(Change.UNCHANGED)
              : audit(tx, id, user.getString("email"), role, action, operator).map(Change.CHANGED));
        }));
  }

  private static Future<Void> audit(SqlConnection tx, UUID id, String email, String role, String action,
                                    String operator) {
    return tx.preparedQuery("insert into auth.role_changes (user_id, email, role, action, operator)"
            + " values ($1, $2, $3, $4, $5)")
        .execute(Tuple.of(id, email, role, action, operator)).mapEmpty();
  }
}
