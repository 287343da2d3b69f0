package io.shutterbus.testkit.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Reads a Server-Sent Events stream frame by frame (split on blank lines), as a browser would. */
public final class SseClient {
  public final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
  public final Promise<Void> ended = Promise.promise();
  private final StringBuilder pending = new StringBuilder();
  private HttpClient client;
  public HttpClientResponse response;

  /** Opens the stream from a Vert.x context (HttpClient calls from other threads can hang in 5.0.7). */
  public static SseClient open(Vertx vertx, int port, String token) throws Exception {
    return open(vertx, port, "/api/events/stream", token);
  }

  public static SseClient open(Vertx vertx, int port, String uri, String token) throws Exception {
    SseClient sse = new SseClient();
    Promise<HttpClientResponse> opened = Promise.promise();
    vertx.runOnContext(v -> {
      sse.client = vertx.createHttpClient();
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
          .setURI(uri);
      if (token != null) {
        options.putHeader("Authorization", "Bearer " + token);
      }
      sse.client.request(options).compose(req -> req.send()).onComplete(ar -> {
        if (ar.failed()) {
          opened.fail(ar.cause());
          return;
        }
        HttpClientResponse res = ar.result();
        sse.response = res;
        res.handler(buf -> sse.received(buf.toString()));
        res.endHandler(x -> sse.ended.tryComplete());
        res.exceptionHandler(err -> sse.ended.tryComplete());
        opened.complete(res);
      });
    });
    opened.future().await(10, TimeUnit.SECONDS);
    return sse;
  }

  private synchronized void received(String text) {
    pending.append(text);
    int end;
    while ((end = pending.indexOf("\n\n")) >= 0) {
      frames.add(pending.substring(0, end));
      pending.delete(0, end + 2);
    }
  }

  public String body() {
    return pending.toString() + String.join("\n\n", frames);
  }

  /** The next frame that is not a heartbeat or a retry hint, or null after {@code ms}. */
  public String nextEvent(long ms) throws InterruptedException {
    long deadline = System.currentTimeMillis() + ms;
    while (true) {
      String f = frames.poll(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
      if (f == null || !(f.startsWith(":") || f.startsWith("retry:"))) {
        return f;
      }
    }
  }

  public Future<Void> close() {
    return client.close();
  }
}
