package io.shutterbus.auth;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A test's HTTP client on a Vert.x of its own (so closing the service never closes the client). */
final class Http implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  final WebClient client;
  private final int port;

  Http(int port) {
    this.port = port;
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(64));
  }

  HttpResponse<Buffer> postJson(String path, JsonObject body) {
    return send(HttpMethod.POST, path, body.encode(), Map.of());
  }

  HttpResponse<Buffer> post(String path, String body, Map<String, String> headers) {
    return send(HttpMethod.POST, path, body, headers);
  }

  HttpResponse<Buffer> get(String path, Map<String, String> headers) {
    return send(HttpMethod.GET, path, null, headers);
  }

  HttpResponse<Buffer> getOn(int otherPort, String path) {
    return await(client.get(otherPort, "127.0.0.1", path).send());
  }

  Future<HttpResponse<Buffer>> sendAsync(HttpMethod method, String path, String body, Map<String, String> headers) {
    HttpRequest<Buffer> req = client.request(method, path).timeout(20_000);
    headers.forEach(req::putHeader);
    if (body == null) {
      return req.send();
    }
    if (!headers.containsKey("content-type")) {
      req.putHeader("content-type", "application/json");
    }
    return req.sendBuffer(Buffer.buffer(body));
  }

  HttpResponse<Buffer> send(HttpMethod method, String path, String body, Map<String, String> headers) {
    return await(sendAsync(method, path, body, headers));
  }

  static <T> T await(Future<T> f) {
    try {
      return f.await(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer within 30 s", e);
    }
  }

  /** The Set-Cookie header for {@code name}, whole (value and attributes). */
  static Optional<String> setCookie(HttpResponse<?> res, String name) {
    MultiMap h = res.headers();
    return h.getAll("set-cookie").stream().filter(c -> c.startsWith(name + "=")).findFirst();
  }

  static Optional<String> cookieValue(HttpResponse<?> res, String name) {
    return setCookie(res, name).map(c -> c.substring(name.length() + 1, c.indexOf(';') < 0 ? c.length() : c.indexOf(';')));
  }

  int port() {
    return port;
  }

  @Override
  public void close() {
    client.close();
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
