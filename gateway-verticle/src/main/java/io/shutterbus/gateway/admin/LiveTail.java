package io.shutterbus.gateway.admin;

import io.shutterbus.events.inspect.RecordView;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One admin live tail as Server-Sent Events. The reading thread hands over one record at a time
 * through {@link #deliver}, which blocks while {@value #MAX_IN_FLIGHT} frames wait on the event loop
 * or the response's write queue is full: a slow client slows the Kafka read instead of piling frames
 * up in the gateway's memory. The response is ended with an {@code end} frame when the reader is
 * done (its limit reached), with an {@code error} frame when it failed, and at once when the tail is
 * cancelled (client gone, gateway stopping).
 */
final class LiveTail {
  static final int MAX_IN_FLIGHT = 64;
  private final HttpServerResponse res;
  private final Context context;
  private final Semaphore credits = new Semaphore(MAX_IN_FLIGHT);
  private final AtomicBoolean cancelled = new AtomicBoolean();

  LiveTail(HttpServerResponse res, Context context) {
    this.res = res;
    this.context = context;
  }

  boolean servedOn(Context other) {
    return context == other;
  }

  boolean cancelled() {
    return cancelled.get();
  }

  /** Stops the reader; ends the response if the client is still there. Any thread. */
  void cancel() {
    if (cancelled.compareAndSet(false, true)) {
      credits.release(MAX_IN_FLIGHT);  // a reader waiting for credit wakes up and sees the cancel
      context.runOnContext(v -> endIfOpen(null));
    }
  }

  /** On the reading thread: waits for credit, then writes the record as an {@code event: message} frame. */
  void deliver(RecordView view) {
    try {
      while (!cancelled.get() && !credits.tryAcquire(200, TimeUnit.MILLISECONDS)) {
        // the client is not reading: wait, and look at the cancel flag now and then
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancel();
      return;
    }
    if (cancelled.get()) {
      return;
    }
    String frame = "event: message\ndata: " + view.toJson().encode() + "\n\n";
    context.runOnContext(v -> {
      if (cancelled.get() || res.ended() || res.closed()) {
        return;
      }
      res.write(frame);
      if (res.writeQueueFull()) {
        res.drainHandler(x -> credits.release());
      } else {
        credits.release();
      }
    });
  }

  /** The reader stopped: by its limit ({@code error} null) or by a failure worth telling the client. */
  void finished(String error) {
    if (!cancelled.get()) {
      // Queued behind the frames already handed to the event loop, so none of them is lost.
      context.runOnContext(v -> endIfOpen(error == null
          ? "event: end\ndata: {\"reason\":\"limit\"}\n\n"
          : "event: error\ndata: " + new JsonObject().put("detail", error).encode() + "\n\n"));
    }
  }

  void heartbeat() {
    if (!cancelled.get() && !res.ended() && !res.closed() && !res.writeQueueFull()) {
      res.write(": ping\n\n");
    }
  }

  private void endIfOpen(String lastFrame) {
    if (!res.ended() && !res.closed()) {
      if (lastFrame == null) {
        res.end();
      } else {
        res.end(lastFrame);
      }
    }
  }
}
