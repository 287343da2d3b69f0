package io.shutterbus.image.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.kit.config.Env;
import io.shutterbus.kit.config.PgSettings;
import io.shutterbus.kit.db.PgPools;
import io.shutterbus.kit.db.SchemaMigrations.Migration;
import io.shutterbus.testkit.Infra;
import io.shutterbus.testkit.InfraExtension;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A database migrated by the image service's former private migration code (a
 * {@code schema_version} without descriptions) upgrades cleanly to the one mechanism of
 * service-kit: its data stays, nothing is applied twice, later versions apply on top.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageSchemaUpgradeIT {
  private final ImageRepository repo = new ImageRepository();
  private Vertx vertx;
  private Pool pool;

  @BeforeAll
  void start(Infra infra) {
    vertx = Vertx.vertx();
    pool = PgPools.create(vertx, PgSettings.fromEnv(Env.of(infra.env())), "images-upgrade-it", 2);
  }

  @AfterAll
  void stop() {
    pool.close().await();
    vertx.close().await();
  }

  @Test
  void aSchemaMigratedByTheFormerImageMechanismUpgradesAndKeepsItsData() {
    List<Migration> current = ImageRepository.migrations().subList(0, 2);  // what the former code knew
    migrateAsTheFormerImageCodeDid(current);
    UUID owner = UUID.randomUUID();
    UUID image = UUID.randomUUID();
    pool.preparedQuery("insert into images.users (user_id) values ($1)").execute(Tuple.of(owner)).await();
    pool.preparedQuery("insert into images.images (id, owner_id, sha256, format, bytes, width, height,"
            + " pending_event_id) values ($1, $2, $3, 'png', 10, 1, 1, $4)")
        .execute(Tuple.of(image, owner, "a".repeat(64), UUID.randomUUID())).await();

    assertEquals(0, repo.migrate(pool, current).await(), "versions 1 and 2 are not applied again");
    List<String> versions = new ArrayList<>();
    for (Row r : pool.query("select version, description from images.schema_version order by version").execute().await()) {
      versions.add(r.getInteger(0) + " " + r.getString(1));
    }
    assertEquals(List.of("1 (recorded by the image service's former migration code)",
        "2 (recorded by the image service's former migration code)"), versions);
    assertTrue(repo.findPipelineState(pool, image).await().isPresent(), "the image row is still there");

    List<Migration> now = ImageRepository.migrations();
    assertEquals(1, repo.migrate(pool, now).await(), "version 3 applies on top");
    assertEquals(false, pool.preparedQuery("select stripped from images.images where id = $1").execute(Tuple.of(image))
        .await().iterator().next().getBoolean(0), "a row of before version 3 names a blob that still has its metadata");

    List<Migration> next = new ArrayList<>(now);
    next.add(new Migration(4, "a later change", "alter table images.images add column upgrade_probe integer"));
    assertEquals(1, repo.migrate(pool, next).await(), "a later version applies on top");
    assertEquals("a later change", pool.query("select description from images.schema_version where version = 4")
        .execute().await().iterator().next().getString(0));
    assertEquals(0, repo.migrate(pool, next).await());

    IllegalStateException older = assertThrows(IllegalStateException.class, () -> repo.migrate(pool, now).await());
    assertTrue(older.getMessage().contains("newer than this build knows"), older.getMessage());
  }

  /** What the image service's own SchemaMigrations (removed) left behind: versions only, no descriptions. */
  private void migrateAsTheFormerImageCodeDid(List<Migration> migrations) {
    pool.withTransaction(conn -> conn
        .query("create schema if not exists images; create table if not exists images.schema_version ("
            + "version integer primary key, applied_at timestamptz not null default now())").execute()
        .compose(v -> conn.query(migrations.get(0).sql()).execute())
        .compose(v -> conn.query("insert into images.schema_version (version) values (1)").execute())
        .compose(v -> conn.query(migrations.get(1).sql()).execute())
        .compose(v -> conn.query("insert into images.schema_version (version) values (2)").execute())).await();
  }
}
