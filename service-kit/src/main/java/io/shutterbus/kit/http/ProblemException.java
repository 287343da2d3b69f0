package io.shutterbus.kit.http;

import io.vertx.core.json.JsonObject;

/**
 * A failure a client can cause or should be told about, carried to the router's failure handler and
 * answered as RFC 9457 problem+json. {@code extensions} are extra members, e.g. the offending field.
 */
public class ProblemException extends RuntimeException {
  private final int status;
  private final String type;
  private final String title;
  private final JsonObject extensions;

  public ProblemException(int status, String type, String title, String detail, JsonObject extensions) {
    super(detail, null, false, false);
    this.status = status;
    this.type = type;
    this.title = title;
    this.extensions = extensions == null ? new JsonObject() : extensions;
  }

  public static ProblemException of(int status, String slug, String title, String detail) {
    return new ProblemException(status, Problems.type(slug), title, detail, null);
  }

  public static ProblemException badRequest(String detail) {
    return of(400, "bad-request", "Bad Request", detail);
  }

  /** A 400 that names the field to fix. */
  public static ProblemException invalidField(String field, String detail) {
    return new ProblemException(400, Problems.type("invalid-field"), "Invalid field", detail,
        new JsonObject().put("field", field));
  }

  public static ProblemException unauthorized(String detail) {
    return of(401, "unauthorized", "Unauthorized", detail);
  }

  public static ProblemException notFound(String detail) {
    return of(404, "not-found", "Not Found", detail);
  }

  public static ProblemException unavailable(String dependency, String detail) {
    return new ProblemException(503, Problems.type("dependency-unavailable"), "Service Unavailable",
        detail, new JsonObject().put("dependency", dependency));
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String title() {
    return title;
  }

  public JsonObject extensions() {
    return extensions;
  }
}
