package io.shutterbus.auth.db;

import io.shutterbus.events.Outbox;
import io.shutterbus.kit.db.SchemaMigrations;
import io.shutterbus.kit.db.SchemaMigrations.Migration;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.List;

/** The {@code auth} schema: versioned SQL under {@code /db/auth/}, then the outbox table. */
public final class AuthSchema {
  public static final String NAME = "auth";

  private AuthSchema() {
  }

  /** Reads the migration files (blocking: at start, off the event loop). */
  public static List<Migration> migrations() {
    return List.of(
        SchemaMigrations.resource(AuthSchema.class, 1, "accounts", "/db/auth/V1__accounts.sql"),
        SchemaMigrations.resource(AuthSchema.class, 2, "image deletions", "/db/auth/V2__image_deletions.sql"),
        SchemaMigrations.resource(AuthSchema.class, 3, "admin roles", "/db/auth/V3__admin_roles.sql"),
        SchemaMigrations.resource(AuthSchema.class, 4, "avatar by image", "/db/auth/V4__avatar_by_image.sql"));
  }

  public static Future<Void> migrate(Pool pool, List<Migration> migrations) {
    return SchemaMigrations.run(pool, NAME, migrations).compose(applied -> Outbox.migrate(pool, NAME));
  }
}
