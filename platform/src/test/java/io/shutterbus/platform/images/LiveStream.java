package io.shutterbus.platform.images;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/events/stream} read as the portal reads it (a streaming fetch with the Bearer
 * token, split into frames on blank lines). Opened from a Vert.x context: HttpClient calls from
 * other threads can hang in Vert.x 5.0.7.
 */
final class LiveStream implements AutoCloseable {
  /** One Server-Sent Event: its name and JSON data. */
  record Event(String name, JsonObject data) {
  }

  private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
  private final StringBuilder pending = new StringBuilder();
  private HttpClient client;
  HttpClientResponse response;

  static LiveStream open(Vertx vertx, int port, String token) throws Exception {
    LiveStream stream = new LiveStream();
    Promise<HttpClientResponse> opened = Promise.promise();
    vertx.runOnContext(v -> {
      stream.client = vertx.createHttpClient();
      stream.client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
              .setURI("/api/events/stream").putHeader("Authorization", "Bearer " + token)
              .putHeader("Accept", "text/event-stream"))
          .compose(req -> req.send())
          .onSuccess(res -> {
            stream.response = res;
            res.handler(buf -> stream.received(buf.toString()));
            opened.complete(res);
          })
          .onFailure(opened::fail);
    });
    opened.future().await(10, TimeUnit.SECONDS);
    return stream;
  }

  private synchronized void received(String text) {
    pending.append(text);
    int end;
    while ((end = pending.indexOf("\n\n")) >= 0) {
      frames.add(pending.substring(0, end));
      pending.delete(0, end + 2);
    }
  }

  /** The next event about {@code imageId}, skipping heartbeats and other images; fails after {@code ms}. */
  Event next(String imageId, long ms) throws InterruptedException {
    long deadline = System.currentTimeMillis() + ms;
    while (System.currentTimeMillis() < deadline) {
      String frame = frames.poll(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
      if (frame == null || frame.startsWith(":")) {
        continue;
      }
      String name = null;
      StringBuilder data = new StringBuilder();
      for (String line : frame.split("\n")) {
        if (line.startsWith("event:")) {
          name = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          data.append(line.substring(5).trim());
        }
      }
      if (name != null && data.length() > 0) {
        JsonObject json = new JsonObject(data.toString());
        if (imageId.equals(json.getString("imageId"))) {
          return new Event(name, json);
        }
      }
    }
    throw new AssertionError("no live event about image " + imageId + " within " + ms + " ms");
  }

  @Override
  public void close() throws Exception {
    client.close().await(10, TimeUnit.SECONDS);
  }
}
