package io.shutterbus.gateway;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real upstream for gateway tests: answers every request with what it received (method, uri,
 * headers, body size and SHA-256, hashed as it streams). {@code POST .../login} plays auth: 200 for
 * the password "correct", 401 otherwise. Its answers carry headers the gateway must clean up.
 */
final class EchoUpstream extends VerticleBase {
  final String name;
  final AtomicInteger requests = new AtomicInteger();
  final AtomicInteger failedBodies = new AtomicInteger();
  private HttpServer server;

  EchoUpstream(String name) {
    this.name = name;
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1").onSuccess(s -> server = s);
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  private void handle(HttpServerRequest req) {
    requests.incrementAndGet();
    MessageDigest sha = sha256();
    long[] bytes = {0};
    long[] firstByteAt = {0};
    Buffer small = Buffer.buffer();
    req.handler(chunk -> {
      if (bytes[0] == 0) {
        firstByteAt[0] = System.currentTimeMillis();
      }
      bytes[0] += chunk.length();
      sha.update(chunk.getBytes());
      if (small.length() < 65536) {
        small.appendBuffer(chunk);
      }
    });
    req.exceptionHandler(err -> failedBodies.incrementAndGet());
    req.endHandler(v -> {
      var res = req.response()
          .putHeader("X-Content-Type-Options", "upstream-value")
          .putHeader("X-Request-Id", String.valueOf(req.getHeader("X-Request-Id")))
          .putHeader("Connection", "X-Hop-Secret")
          .putHeader("X-Hop-Secret", "must-not-reach-the-client")
          .putHeader("Keep-Alive", "timeout=5")
          .putHeader("X-Upstream", name);
      if (req.path().startsWith("/uploads/")) {
        res.putHeader("Content-Security-Policy", "default-src 'none'; sandbox");
      }
      if (req.path().endsWith("/login") && req.method().name().equals("POST")) {
        boolean ok;
        try {
          ok = "correct".equals(new JsonObject(small).getString("password"));
        } catch (RuntimeException notJson) {
          res.setStatusCode(400).end();
          return;
        }
        res.setStatusCode(ok ? 200 : 401).putHeader("content-type", ok ? "application/json" : "application/problem+json")
            .end(ok ? "{\"accessToken\":\"t\"}" : "{\"status\":401,\"title\":\"Unauthorized\"}");
        return;
      }
      res.putHeader("content-type", "application/json").end(new JsonObject()
          .put("upstream", name)
          .put("method", req.method().name())
          .put("uri", req.uri())
          .put("headers", headers(req.headers()))
          .put("bytes", bytes[0])
          .put("firstByteAt", firstByteAt[0])
          .put("sha256", HexFormat.of().formatHex(sha.digest()))
          .encode());
    });
  }

  private static JsonObject headers(MultiMap headers) {
    JsonObject out = new JsonObject();
    for (String name : headers.names()) {
      out.put(name.toLowerCase(Locale.ROOT), new JsonArray(headers.getAll(name)));
    }
    return out;
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
