package io.shutterbus.kit.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.kit.http.Routers;
import io.shutterbus.testkit.TestTokens;
import io.shutterbus.testkit.TestTokens.SigningKey;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BearerAuthHandlerIT {
  private static final SigningKey KEY = TestTokens.es256("k1");
  private static Vertx vertx;
  private static WebClient client;
  private static int port;
  private static int downPort;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    JwksServer jwks = new JwksServer(TestTokens.jwks(KEY));
    vertx.deployVerticle(jwks).await(5, TimeUnit.SECONDS);
    JwksVerifier verifier = JwksVerifier.create(vertx, JwtSettings.of(jwks.url(), "shutterbus", "shutterbus-api"));
    JwksVerifier unreachable = JwksVerifier.create(vertx,
        JwtSettings.of("http://127.0.0.1:1/.well-known/jwks.json", "shutterbus", "shutterbus-api"));

    Router router = Routers.create(vertx);
    router.route("/me").handler(BearerAuthHandler.create(verifier, "auth"));
    router.get("/me").handler(ctx -> ctx.json(new JsonObject()
        .put("userId", BearerAuthHandler.principal(ctx).userId())));
    // an async check before a streamed body must not lose any of it
    router.post("/me").handler(ctx -> ctx.request().body()
        .onSuccess(b -> ctx.json(new JsonObject().put("bytes", b.length()))));
    router.route("/down").handler(BearerAuthHandler.create(unreachable, "auth"));
    router.route("/down").handler(ctx -> ctx.end("never"));
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS);
    port = server.actualPort();
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  private static HttpResponse<Buffer> get(String path, String authorization) throws Exception {
    var req = client.get(path);
    if (authorization != null) {
      req.putHeader("Authorization", authorization);
    }
    return req.send().await(5, TimeUnit.SECONDS);
  }

  private static String valid(String sub) {
    return KEY.sign(TestTokens.claims("shutterbus", "shutterbus-api", sub));
  }

  @Test
  void validTokenReachesTheHandlerWithThePrincipal() throws Exception {
    String sub = UUID.randomUUID().toString();
    HttpResponse<Buffer> r = get("/me", "Bearer " + valid(sub));
    assertEquals(200, r.statusCode());
    assertEquals(sub, r.bodyAsJsonObject().getString("userId"));
  }

  @Test
  void missingTokenIs401ProblemWithBearerChallenge() throws Exception {
    HttpResponse<Buffer> r = get("/me", null);
    assertEquals(401, r.statusCode());
    assertEquals("application/problem+json", r.getHeader("content-type"));
    assertEquals("Bearer realm=\"shutterbus\"", r.getHeader("WWW-Authenticate"));
    assertEquals(401, r.bodyAsJsonObject().getInteger("status"));
    assertEquals(401, get("/me", "Basic dXNlcjpwYXNz").statusCode());
  }

  @Test
  void badTokenIs401WithInvalidTokenError() throws Exception {
    HttpResponse<Buffer> r = get("/me", "Bearer " + TestTokens.withTamperedSignature(valid("u1")));
    assertEquals(401, r.statusCode());
    assertTrue(r.getHeader("WWW-Authenticate").contains("error=\"invalid_token\""));
    assertEquals("The access token is not valid.", r.bodyAsJsonObject().getString("detail"));
  }

  @Test
  void expiredTokenSaysSo() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    String token = KEY.sign(TestTokens.claims("shutterbus", "shutterbus-api", "u1").put("iat", now - 999)
        .put("exp", now - 100));
    HttpResponse<Buffer> r = get("/me", "Bearer " + token);
    assertEquals(401, r.statusCode());
    assertEquals("The access token has expired.", r.bodyAsJsonObject().getString("detail"));
  }

  @Test
  void unreachableJwksIs503NamingAuth() throws Exception {
    HttpResponse<Buffer> r = get("/down", "Bearer " + valid("u1"));
    assertEquals(503, r.statusCode());
    assertEquals("auth", r.bodyAsJsonObject().getString("dependency"));
  }

  @Test
  void bodyAfterTheCheckArrivesWhole() throws Exception {
    Buffer body = Buffer.buffer(new byte[3 * 1024 * 1024]);
    HttpResponse<Buffer> r = client.post("/me").putHeader("Authorization", "Bearer " + valid("u1"))
        .sendBuffer(body).await(10, TimeUnit.SECONDS);
    assertEquals(200, r.statusCode());
    assertEquals(body.length(), r.bodyAsJsonObject().getInteger("bytes"));
  }
}
