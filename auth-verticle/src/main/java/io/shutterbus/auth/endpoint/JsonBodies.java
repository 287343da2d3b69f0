package io.shutterbus.auth.endpoint;

import io.shutterbus.kit.http.ProblemException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The request body as a JSON object, or a 400 saying what is wrong with it. */
final class JsonBodies {
  private JsonBodies() {
  }

  static JsonObject object(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw ProblemException.badRequest("The request body must be a JSON object.");
    }
    Object value;
    try {
      value = Json.decodeValue(body);
    } catch (DecodeException e) {
      throw ProblemException.badRequest("The request body is not valid JSON.");
    }
    if (!(value instanceof JsonObject object)) {
      throw ProblemException.badRequest("The request body must be a JSON object.");
    }
    return object;
  }
}
