package io.shutterbus.loadtest.baseline;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Map;
import java.util.UUID;

/**
 * The benchmark's baseline for GET /api/me: one Vert.x HTTP server running the same prepared profile
 * query on the same database, and nothing else — no gateway hop, no token signature check, no
 * metrics, no request ids. The user id comes in a header. The ratio against the real path is what
 * the gateway, the proxy hop and the ES256 check cost together.
 */
public final class BareMeServer extends VerticleBase {
  /** The auth service's profile query, verbatim (auth-verticle UserRepository.profile). */
  static final String PROFILE_QUERY = "select u.id, u.email, u.name, u.created_at, s.avatar_url, coalesce(s.image_count, 0) as image_count"
      + " from auth.users u left join auth.user_stats s on s.user_id = u.id where u.id = $1";

  private final Map<String, String> env;
  private Pool pool;

  BareMeServer(Map<String, String> env) {
    this.env = env;
  }

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(new BareMeServer(System.getenv()))
        .onSuccess(id -> System.out.println("bare /api/me server up on port " + System.getenv("BARE_PORT")))
        .onFailure(err -> {
          System.err.println("bare /api/me server failed to start: " + err.getMessage());
          vertx.close();
          System.exit(1);
        });
  }

  @Override
  public Future<?> start() {
    int port = intVar("BARE_PORT", null);
    PgConnectOptions connect = new PgConnectOptions().setHost(env.getOrDefault("PG_HOST", "127.0.0.1"))
        .setPort(intVar("PG_PORT", "5432")).setDatabase(env.getOrDefault("PG_DATABASE", "shutterbus"))
        .setUser(env.getOrDefault("PG_USER", "postgres")).setPassword(env.getOrDefault("PG_PASSWORD", ""));
    // the same pool size as the auth service's default (PG_POOL_SIZE 8)
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(intVar("PG_POOL_SIZE", "8")))
        .connectingTo(connect).using(vertx).build();
    return vertx.createHttpServer().requestHandler(this::me).listen(port, "127.0.0.1");
  }

  private void me(HttpServerRequest req) {
    UUID id;
    try {
      id = UUID.fromString(String.valueOf(req.getHeader("x-user-id")));
    } catch (IllegalArgumentException e) {
      req.response().setStatusCode(400).end("send the user id in X-User-Id");
      return;
    }
    pool.preparedQuery(PROFILE_QUERY).execute(Tuple.of(id))
        .onSuccess(rows -> {
          if (rows.size() == 0) {
            req.response().setStatusCode(404).end();
            return;
          }
          Row r = rows.iterator().next();
          JsonObject body = new JsonObject().put("id", r.getUUID("id").toString()).put("email", r.getString("email"))
              .put("name", r.getString("name")).put("avatarUrl", r.getString("avatar_url"))
              .put("createdAt", r.getOffsetDateTime("created_at").toInstant().toString())
              .put("imageCount", r.getInteger("image_count"));
          req.response().putHeader("content-type", "application/json").end(body.encode());
        })
        .onFailure(err -> req.response().setStatusCode(503).end(err.getMessage()));
  }

  private int intVar(String name, String fallback) {
    String raw = env.getOrDefault(name, fallback);
    try {
      return Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a port or number, got '" + raw + "'");
    }
  }

  @Override
  public Future<?> stop() {
    return pool == null ? Future.succeededFuture() : pool.close();
  }
}
