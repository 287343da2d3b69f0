package io.shutterbus.auth;

import io.shutterbus.auth.db.AuthSchema;
import io.shutterbus.auth.listener.ImageEventsVerticle;
import io.shutterbus.auth.token.SigningKey;
import io.shutterbus.auth.token.SigningKeys;
import io.shutterbus.events.OutboxRelay;
import io.shutterbus.kit.config.Env;
import io.shutterbus.kit.db.PgPools;
import io.shutterbus.kit.db.SchemaMigrations.Migration;
import io.shutterbus.kit.mgmt.ManagementVerticle;
import io.shutterbus.kit.run.ServiceRunner;
import io.shutterbus.kit.run.ServiceRuntime;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.List;

/**
 * Deploys the auth service: signing key loaded (or generated, embedded mode), schema {@code auth}
 * migrated, the API, the outbox relay that publishes {@code users.registered}, the consumer of
 * {@code images.processed} (avatars, image count), and the management
 * server. {@link #main} runs it alone, as its container image does.
 */
public final class AuthService {
  public static final String NAME = "auth";

  private AuthService() {
  }

  private record Prepared(SigningKey key, List<Migration> migrations) {
  }

  public static Future<String> deploy(ServiceRuntime runtime, Env env) {
    AuthConfig config = AuthConfig.fromEnv(env);
    Vertx vertx = runtime.vertx();
    return vertx.executeBlocking(() -> new Prepared(SigningKeys.load(config.keys()), AuthSchema.migrations()))
        .compose(prepared -> migrate(vertx, config, prepared.migrations()).map(prepared.key()))
        .compose(key -> vertx.deployVerticle(() -> new AuthVerticle(config, key),
            new DeploymentOptions().setInstances(config.instances())))
        .compose(id -> vertx.deployVerticle(new OutboxRelay(config.pg(), config.kafka(),
            OutboxRelay.Settings.defaults(AuthSchema.NAME).withSharedPool(NAME), runtime.registry())))
        .compose(id -> vertx.deployVerticle(new ImageEventsVerticle(config, runtime.registry())))
        .compose(id -> vertx.deployVerticle(new ManagementVerticle(NAME, config.http().host(),
            config.http().managementPort(), config.http().managementPortVariable(), config.pg(), config.kafka(),
            runtime.registry())));
  }

  private static Future<Void> migrate(Vertx vertx, AuthConfig config, List<Migration> migrations) {
    Pool pool = PgPools.forStartup(vertx, config.pg(), "auth-migrations");
    return AuthSchema.migrate(pool, migrations).eventually(() -> PgPools.closeBounded(pool));
  }

  public static void main(String[] args) {
    ServiceRunner.run(NAME, AuthService::deploy);
  }
}
