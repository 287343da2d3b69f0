package io.shutterbus.auth.endpoint;

import io.shutterbus.auth.db.UserRepository;
import io.shutterbus.auth.domain.AccountExistsException;
import io.shutterbus.auth.domain.Registration;
import io.shutterbus.auth.domain.User;
import io.shutterbus.auth.password.PasswordHasher;
import io.shutterbus.events.EventEnvelope;
import io.shutterbus.events.UserRegistered;
import io.shutterbus.kit.http.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** POST /api/auth/register: validate, hash off the event loop, store account + users.registered together. */
public final class RegisterHandler implements Handler<RoutingContext> {
  public static final String EVENT_SOURCE = "/shutterbus/auth";
  private final PasswordHasher hasher;
  private final UserRepository users;

  public RegisterHandler(PasswordHasher hasher, UserRepository users) {
    this.hasher = hasher;
    this.users = users;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Registration r = Registration.parse(JsonBodies.object(ctx));
    User user = new User(UUID.randomUUID(), r.email(), r.name(), Instant.now().truncatedTo(ChronoUnit.MICROS));
    EventEnvelope registered = EventEnvelope.of(
        new UserRegistered(user.id(), user.email(), user.name(), user.createdAt()), EVENT_SOURCE);
    hasher.hash(r.password())
        .compose(hash -> users.create(user, hash, registered))
        .recover(err -> Future.failedFuture(err instanceof AccountExistsException ? taken() : err))
        .onSuccess(created -> ctx.response().setStatusCode(201)
            .putHeader("content-type", "application/json")
            .putHeader("location", "/api/me")
            .end(created.toJson().encode()))
        .onFailure(ctx::fail);
  }

  private static ProblemException taken() {
    return new ProblemException(409, io.shutterbus.kit.http.Problems.type("email-taken"), "Conflict",
        "An account with this e-mail address already exists.", new JsonObject().put("field", "email"));
  }
}
