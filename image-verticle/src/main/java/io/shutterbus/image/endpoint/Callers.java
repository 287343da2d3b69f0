package io.shutterbus.image.endpoint;

import io.shutterbus.kit.auth.AuthPrincipal;
import io.shutterbus.kit.auth.BearerAuthHandler;
import io.shutterbus.kit.http.ProblemException;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Who calls (the verified token's subject) and which image a path names. */
final class Callers {
  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private Callers() {
  }

  /** The caller's user id; a token whose subject is no user id is as good as no token. */
  static UUID owner(RoutingContext ctx) {
    AuthPrincipal principal = BearerAuthHandler.principal(ctx);
    return uuid(principal == null ? null : principal.userId())
        .orElseThrow(() -> ProblemException.unauthorized("The access token is not valid."));
  }

  /** The image id of the path; anything that is not a UUID names no image (404, like someone else's). */
  static UUID imageId(RoutingContext ctx) {
    return uuid(ctx.pathParam("id")).orElseThrow(Callers::noSuchImage);
  }

  static ProblemException noSuchImage() {
    return ProblemException.notFound("You have no image with this id.");
  }

  private static Optional<UUID> uuid(String text) {
    if (text == null || !UUID_TEXT.matcher(text).matches()) {
      return Optional.empty();
    }
    return Optional.of(UUID.fromString(text));
  }
}
