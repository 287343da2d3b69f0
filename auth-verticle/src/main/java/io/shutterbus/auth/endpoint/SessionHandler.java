package io.shutterbus.auth.endpoint;

import io.shutterbus.auth.db.RefreshTokenRepository;
import io.shutterbus.auth.db.RoleRepository;
import io.shutterbus.auth.db.RefreshTokenRepository.Rotated;
import io.shutterbus.auth.db.UserRepository;
import io.shutterbus.auth.db.UserRepository.StoredCredentials;
import io.shutterbus.auth.domain.Credentials;
import io.shutterbus.auth.domain.Roles;
import io.shutterbus.auth.password.PasswordHasher;
import io.shutterbus.auth.token.AccessTokens;
import io.shutterbus.auth.token.RefreshTokens;
import io.shutterbus.kit.http.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The session resource: login (POST /api/auth/login), refresh (POST /api/auth/refresh) and logout
 * (POST /api/auth/logout). Login failures look alike whatever the cause: same status, same body,
 * and about the same time, since an unknown e-mail still costs one Argon2id verification.
 */
public final class SessionHandler {
  private final PasswordHasher hasher;
  private final UserRepository users;
  private final RefreshTokenRepository refreshTokens;
  private final AccessTokens accessTokens;
  private final RoleRepository roles;
  private final RefreshCookie cookie;
  private final Duration refreshTtl;

  public SessionHandler(PasswordHasher hasher, UserRepository users, RefreshTokenRepository refreshTokens,
                        AccessTokens accessTokens, RoleRepository roles, boolean secureCookie, Duration refreshTtl) {
    this.hasher = hasher;
    this.users = users;
    this.refreshTokens = refreshTokens;
    this.accessTokens = accessTokens;
    this.roles = roles;
    this.cookie = new RefreshCookie(secureCookie, refreshTtl);
    this.refreshTtl = refreshTtl;
  }

  public void login(RoutingContext ctx) {
    Credentials c = Credentials.parse(JsonBodies.object(ctx));
    users.findCredentials(c.email())
        .compose(found -> found.isEmpty()
            ? hasher.verifyAgainstDummy(c.password()).map(x -> Optional.<StoredCredentials>empty())
            : hasher.verify(c.password(), found.get().passwordHash())
                .map(ok -> ok ? found : Optional.<StoredCredentials>empty()))
        .compose(user -> user.isPresent()
            ? startSession(ctx, user.get().id(), user.get().email())
            : Future.failedFuture(wrongCredentials()))
        .onFailure(ctx::fail);
  }

  public void refresh(RoutingContext ctx) {
    Optional<String> presented = cookie.read(ctx).filter(RefreshTokens::wellFormed);
    if (presented.isEmpty()) {
      rejectRefresh(ctx);
      return;
    }
    String successor = RefreshTokens.generate();
    refreshTokens.rotate(RefreshTokens.hash(presented.get()), RefreshTokens.hash(successor), Instant.now().plus(refreshTtl))
        .compose(rotation -> {
          if (rotation instanceof Rotated r) {
            return roles.rolesOf(r.userId()).onSuccess(granted -> {
              cookie.set(ctx, successor);
              sendAccessToken(ctx, r.userId(), granted);
            }).mapEmpty();
          }
          rejectRefresh(ctx);
          return Future.<Void>succeededFuture();
        })
        .onFailure(ctx::fail);
  }

  public void logout(RoutingContext ctx) {
    Optional<String> presented = cookie.read(ctx).filter(RefreshTokens::wellFormed);
    Future<Void> revoked = presented.isEmpty() ? Future.succeededFuture()
        : refreshTokens.revokeFamilyOf(RefreshTokens.hash(presented.get()));
    revoked.onSuccess(v -> {
      cookie.clear(ctx);
      ctx.response().setStatusCode(204).putHeader("cache-control", "no-store").end();
    }).onFailure(ctx::fail);
  }

  private Future<Void> startSession(RoutingContext ctx, UUID userId, String email) {
    String refresh = RefreshTokens.generate();
    return roles.rolesOf(userId)
        .compose(granted -> refreshTokens.startFamily(userId, RefreshTokens.hash(refresh), Instant.now().plus(refreshTtl))
            .onSuccess(v -> {
              cookie.set(ctx, refresh);
              sendAccessToken(ctx, userId, granted);
            }));
  }

  private void sendAccessToken(RoutingContext ctx, UUID userId, java.util.List<String> granted) {
    JsonObject body = new JsonObject()
        .put("accessToken", accessTokens.issue(userId, Roles.of(granted)))
        .put("tokenType", "Bearer")
        .put("expiresIn", accessTokens.expiresInSeconds());
    ctx.response().putHeader("content-type", "application/json").putHeader("cache-control", "no-store")
        .end(body.encode());
  }

  private void rejectRefresh(RoutingContext ctx) {
    cookie.clear(ctx);
    ctx.fail(ProblemException.unauthorized("The refresh token is missing, expired or revoked; log in again."));
  }

  static ProblemException wrongCredentials() {
    return new ProblemException(401, io.shutterbus.kit.http.Problems.type("invalid-credentials"), "Unauthorized",
        "The e-mail address or the password is wrong.", null);
  }
}
