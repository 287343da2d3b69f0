package io.shutterbus.image;

import io.shutterbus.testkit.http.Multipart;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The image API as a client calls it, on a Vert.x of its own; every call has a timeout. */
final class ImageClient implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final WebClient client;

  ImageClient(int port) {
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  HttpResponse<Buffer> upload(String token, byte[] multipartBody) {
    HttpRequest<Buffer> req = client.post("/api/images").timeout(30_000)
        .putHeader("content-type", Multipart.CONTENT_TYPE);
    if (token != null) {
      req.putHeader("authorization", "Bearer " + token);
    }
    return await(req.sendBuffer(Buffer.buffer(multipartBody)));
  }

  /** Uploads {@code image} as {@code name} (gallery), expecting 202; returns the image id. */
  String uploadAccepted(String token, String name, byte[] image) {
    HttpResponse<Buffer> res = upload(token, new Multipart().file("image", name, "image/png", image).build());
    if (res.statusCode() != 202) {
      throw new AssertionError("upload of " + name + ": " + res.statusCode() + " " + res.bodyAsString());
    }
    return res.bodyAsJsonObject().getString("id");
  }

  HttpResponse<Buffer> send(HttpMethod method, String path, String token) {
    HttpRequest<Buffer> req = client.request(method, path).timeout(20_000);
    if (token != null) {
      req.putHeader("authorization", "Bearer " + token);
    }
    return await(req.send());
  }

  HttpResponse<Buffer> get(String path, String token) {
    return send(HttpMethod.GET, path, token);
  }

  /** Polls the image until it has {@code status}; fails with its last state after {@code timeout}. */
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

  static <T> T await(Future<T> f) {
    try {
      return f.await(40, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer within 40 s", e);
    }
  }

  @Override
  public void close() throws Exception {
    client.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
