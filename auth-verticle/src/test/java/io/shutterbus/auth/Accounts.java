package io.shutterbus.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import java.util.UUID;

/** What tests do over and over: make an account, log in, read a problem answer. */
final class Accounts {
  static final String PASSWORD = "correct horse battery";
  static final String COOKIE = "shutterbus_refresh";

  private Accounts() {
  }

  static String uniqueEmail(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  }

  static HttpResponse<Buffer> register(Http http, String email, String name, String password) {
    return http.postJson("/api/auth/register",
        new JsonObject().put("email", email).put("name", name).put("password", password));
  }

  /** Registers a fresh account and answers its id. */
  static String registered(Http http, String email) {
    HttpResponse<Buffer> res = register(http, email, "Test User", PASSWORD);
    assertEquals(201, res.statusCode(), res.bodyAsString());
    return res.bodyAsJsonObject().getString("id");
  }

  static HttpResponse<Buffer> login(Http http, String email, String password) {
    return http.postJson("/api/auth/login", new JsonObject().put("email", email).put("password", password));
  }

  static HttpResponse<Buffer> refresh(Http http, String cookie) {
    return http.post("/api/auth/refresh", "", cookie == null ? Map.of() : Map.of("cookie", COOKIE + "=" + cookie));
  }

  static HttpResponse<Buffer> me(Http http, String accessToken) {
    return http.get("/api/me", Map.of("authorization", "Bearer " + accessToken));
  }

  /** {@code bin/admin} in-process against the test's database; answers exit code, stdout and stderr. */
  static String[] admin(Map<String, String> env, String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int code = io.shutterbus.auth.admin.AdminCli.run(io.shutterbus.kit.config.Env.of(env),
        new java.io.PrintWriter(out), new java.io.PrintWriter(err), args);
    return new String[]{Integer.toString(code), out.toString(), err.toString()};
  }

  /** Grants admin to an existing account, as an operator would. */
  static void grantAdmin(Map<String, String> env, String email) {
    String[] run = admin(env, "--by", "test-operator", "grant", email);
    assertEquals("0", run[0], run[1] + run[2]);
  }

  /** Asserts a problem+json answer with this status and answers its body. */
  static JsonObject problem(HttpResponse<Buffer> res, int status) {
    assertEquals(status, res.statusCode(), res.bodyAsString());
    assertEquals("application/problem+json", res.getHeader("content-type"));
    JsonObject body = res.bodyAsJsonObject();
    assertEquals(status, body.getInteger("status"));
    return body;
  }

  /** Asserts a 400 problem naming {@code field}. */
  static JsonObject badField(HttpResponse<Buffer> res, String field) {
    JsonObject body = problem(res, 400);
    assertEquals(field, body.getString("field"), body.encode());
    return body;
  }
}
