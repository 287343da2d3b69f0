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
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AuthService.class);

  private AuthService() {
  }

  private record Prepared(SigningKey key, List<SigningKey> alsoPublished, List<Migration> migrations) {
  }

  private static Prepared prepare(AuthConfig config) {
    SigningKey key = SigningKeys.load(config.keys());
    List<SigningKey> extra = SigningKeys.extra(config.keys(), key).stream().toList();
    if (extra.isEmpty()) {
      LOG.info("access tokens signed with kid {}; the JWKS publishes it alone", key.keyId());
    } else {
      LOG.info("access tokens signed with kid {}; the JWKS also publishes kid {} (key rotation)", key.keyId(),
          extra.get(0).keyId());
    }
    return new Prepared(key, extra, AuthSchema.migrations());
  }

  public static Future<String> deploy(ServiceRuntime runtime, Env env) {
    AuthConfig config = AuthConfig.fromEnv(env);
    Vertx vertx = runtime.vertx();
    return vertx.executeBlocking(() -> prepare(config))
        .compose(prepared -> migrate(vertx, config, prepared.migrations()).map(prepared))
        .compose(prepared -> vertx.deployVerticle(() -> new AuthVerticle(config, prepared.key(), prepared.alsoPublished()),
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
