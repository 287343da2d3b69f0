package io.shutterbus.platform.images;

import io.shutterbus.testkit.http.Multipart;
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
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** What a browser does through the gateway: register, sign in, upload, read its images and files. */
final class Gateway implements AutoCloseable {
  static final String PASSWORD = "correct horse battery staple";
  final Vertx vertx = Vertx.vertx();
  final int port;
  private final WebClient client;

  Gateway(int port) {
    this.port = port;
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  /** A new account, signed in: its access token. */
  String newUser(String name) {
    String email = name.toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    JsonObject account = new JsonObject().put("email", email).put("password", PASSWORD).put("name", name);
    HttpResponse<Buffer> registered = send(HttpMethod.POST, "/api/auth/register", null, Map.of(), account.toBuffer());
    if (registered.statusCode() != 201) {
      throw new AssertionError("register: " + registered.statusCode() + " " + registered.bodyAsString());
    }
    HttpResponse<Buffer> login = send(HttpMethod.POST, "/api/auth/login", null, Map.of(),
        new JsonObject().put("email", email).put("password", PASSWORD).toBuffer());
    if (login.statusCode() != 200) {
      throw new AssertionError("login: " + login.statusCode() + " " + login.bodyAsString());
    }
    return login.bodyAsJsonObject().getString("accessToken");
  }

  HttpResponse<Buffer> upload(String token, byte[] multipart) {
    return send(HttpMethod.POST, "/api/images", token, Map.of("content-type", Multipart.CONTENT_TYPE),
        Buffer.buffer(multipart));
  }

  /** Uploads a PNG to the gallery, expecting 202; the image id. */
  String uploadAccepted(String token, String name, byte[] png) {
    HttpResponse<Buffer> res = upload(token, new Multipart().file("image", name, "image/png", png).build());
    if (res.statusCode() != 202) {
      throw new AssertionError("upload " + name + ": " + res.statusCode() + " " + res.bodyAsString());
    }
    return res.bodyAsJsonObject().getString("id");
  }

  HttpResponse<Buffer> get(String path, String token) {
    return send(HttpMethod.GET, path, token, Map.of(), null);
  }

  HttpResponse<Buffer> send(HttpMethod method, String path, String token, Map<String, String> headers, Buffer body) {
    HttpRequest<Buffer> req = client.request(method, path).timeout(30_000);
    if (token != null) {
      req.putHeader("authorization", "Bearer " + token);
    }
    headers.forEach(req::putHeader);
    if (body != null && !headers.containsKey("content-type")) {
      req.putHeader("content-type", "application/json");
    }
    Future<HttpResponse<Buffer>> f = body == null ? req.send() : req.sendBuffer(body);
    try {
      return f.await(40, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(method + " " + path + ": no answer within 40 s", e);
    }
  }

  /** Polls the image until it has {@code status}. */
  JsonObject awaitStatus(String token, String id, String status, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonObject last = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<Buffer> res = get("/api/images/" + id, token);
      if (res.statusCode() == 200) {
        last = res.bodyAsJsonObject();
        if (status.equals(last.getString("status"))) {
          return last;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("image " + id + " not " + status + " within " + timeout + "; last: " + last);
  }

  static String header(HttpResponse<?> res, String name) {
    MultiMap h = res.headers();
    return h.get(name);
  }

  @Override
  public void close() throws Exception {
    client.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
