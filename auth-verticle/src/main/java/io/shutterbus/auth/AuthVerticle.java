package io.shutterbus.auth;

import io.shutterbus.auth.db.RefreshTokenRepository;
import io.shutterbus.auth.db.UserRepository;
import io.shutterbus.auth.db.RoleRepository;
import io.shutterbus.auth.endpoint.JwksHandler;
import io.shutterbus.auth.endpoint.MeHandler;
import io.shutterbus.auth.endpoint.RegisterHandler;
import io.shutterbus.auth.endpoint.SessionHandler;
import io.shutterbus.auth.password.PasswordHasher;
import io.shutterbus.auth.token.AccessTokens;
import io.shutterbus.auth.token.SigningKey;
import io.shutterbus.kit.db.PgPools;
import io.shutterbus.kit.http.JsonContentType;
import io.shutterbus.kit.http.Routers;
import io.shutterbus.kit.http.Servers;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The auth API: accounts, sessions, the caller's profile and the JWKS. */
public final class AuthVerticle extends VerticleBase {
  private final AuthConfig config;
  private final SigningKey key;
  private final List<SigningKey> alsoPublished;
  private Pool pool;
  private PasswordHasher hasher;
  private HttpServer server;

  public AuthVerticle(AuthConfig config, SigningKey key) {
    this(config, key, List.of());
  }

  /** {@code alsoPublished}: keys in the JWKS that never sign (the next or previous key of a rotation). */
  public AuthVerticle(AuthConfig config, SigningKey key, List<SigningKey> alsoPublished) {
    this.config = config;
    this.key = key;
    this.alsoPublished = List.copyOf(alsoPublished);
  }

  /** Expired refresh tokens are swept hourly, so the table holds live sessions, not history. */
  private static final long SWEEP_EVERY_MS = 3_600_000;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AuthVerticle.class);
  private long sweeper = -1;

  @Override
  public Future<?> start() {
    pool = PgPools.shared(vertx, config.pg(), AuthService.NAME);
    return PasswordHasher.create(vertx, config.hashThreads(), config.hashMaxPending())
        .compose(h -> {
          hasher = h;
          return Servers.listen(vertx, new HttpServerOptions(), router(), config.http().host(), config.http().port(),
              config.http().portVariable());
        })
        .onSuccess(s -> {
          server = s;
          RefreshTokenRepository refreshTokens = new RefreshTokenRepository(pool);
          sweeper = vertx.setPeriodic(SWEEP_EVERY_MS, SWEEP_EVERY_MS, t -> refreshTokens.deleteExpired()
              .onFailure(err -> LOG.warn("expired refresh tokens not swept: {}", err.toString())));
        });
  }

  private Router router() {
    UserRepository users = new UserRepository(pool);
    AccessTokens tokens = new AccessTokens(vertx, key, config.issuer(), config.audience(), config.accessTokenTtl());
    SessionHandler session = new SessionHandler(hasher, users, new RefreshTokenRepository(pool), tokens,
        new RoleRepository(pool), config.cookieSecure(), config.refreshTokenTtl());
    BodyHandler body = BodyHandler.create(false).setBodyLimit(AuthConfig.BODY_LIMIT_BYTES);

    Router router = Routers.create(vertx);
    // JSON only (415 otherwise): a cross-site HTML form cannot send it without a CORS preflight.
    JsonContentType json = JsonContentType.required();
    JsonContentType noBodyOrJson = JsonContentType.ifPresent();
    router.post("/api/auth/register").handler(body).handler(json).handler(new RegisterHandler(hasher, users));
    router.post("/api/auth/login").handler(body).handler(json).handler(session::login);
    router.post("/api/auth/refresh").handler(body).handler(noBodyOrJson).handler(session::refresh);
    router.post("/api/auth/logout").handler(body).handler(noBodyOrJson).handler(session::logout);
    router.get("/api/me").handler(new MeHandler(tokens, users));
    router.get("/.well-known/jwks.json").handler(new JwksHandler(key, alsoPublished));
    return router;
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sweeper);
    Future<Void> drained = server == null ? Future.succeededFuture() : server.shutdown(10, TimeUnit.SECONDS);
    return drained.eventually(() -> hasher == null ? Future.succeededFuture() : hasher.close())
        .eventually(() -> pool.close());
  }
}
