package io.shutterbus.gateway.live;

import io.shutterbus.kit.auth.AuthPrincipal;
import io.shutterbus.kit.auth.BearerAuthHandler;
import io.shutterbus.kit.http.ProblemException;
import io.shutterbus.kit.http.Problems;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * GET /api/events/stream: Server-Sent Events of the caller's image status changes, after a
 * BearerAuthHandler. A comment line every heartbeat keeps proxies from timing the stream out; the
 * stream ends when the access token expires (the client reconnects with a fresh one), when the
 * client goes, when it reads too slowly, or when the gateway stops. Streams are capped per user
 * (429) and per gateway process (503), in {@link StreamSlots}.
 */
public final class EventStreamHandler implements Handler<RoutingContext> {
  private final Vertx vertx;
  private final long heartbeatMs;
  private final int maxPerUser;
  private final StreamSlots slots;
  private final Set<Stream> open = ConcurrentHashMap.newKeySet();

  /** @param slots open streams of this process, shared by every verticle instance */
  public EventStreamHandler(Vertx vertx, Duration heartbeat, int maxPerUser, StreamSlots slots) {
    this.vertx = vertx;
    this.heartbeatMs = heartbeat.toMillis();
    this.maxPerUser = maxPerUser;
    this.slots = slots;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerResponse res = ctx.response();
    if (res.closed()) {
      return;  // the client left while its token was checked: take no slot it could never give back
    }
    AuthPrincipal who = BearerAuthHandler.principal(ctx);
    StreamSlots.Grant grant = slots.acquire(who.userId(), maxPerUser);
    if (grant != StreamSlots.Grant.GRANTED) {
      res.putHeader("Retry-After", "5");
      Problems.send(ctx, grant == StreamSlots.Grant.USER_FULL
          ? ProblemException.of(429, "too-many-streams", "Too Many Requests",
              "At most " + maxPerUser + " live streams per user can be open at once.")
          : ProblemException.unavailable("gateway", "This gateway holds as many live streams as it may ("
              + slots.maxTotal() + "); try again in a moment."));
      return;
    }
    Stream stream = new Stream(res, who);
    // Before anything else that could fail or wait: whenever the client goes, the slot comes back.
    res.closeHandler(v -> stream.close());
    stream.open();
  }

  /** Ends every open stream, so a stopping server is not held up by them. */
  public void closeAll() {
    Set.copyOf(open).forEach(Stream::close);
  }

  public int openStreams() {
    return open.size();
  }

  private final class Stream {
    private final HttpServerResponse res;
    private final AuthPrincipal who;
    private MessageConsumer<JsonObject> events;
    private long heartbeat;
    private long expiry;
    private boolean closed;

    Stream(HttpServerResponse res, AuthPrincipal who) {
      this.res = res;
      this.who = who;
    }

    void open() {
      res.setChunked(true)
          .putHeader("Content-Type", "text/event-stream; charset=utf-8")
          .putHeader("Cache-Control", "no-cache, no-store")
          .putHeader("X-Accel-Buffering", "no");
      res.write("retry: 3000\n\n");
      open.add(this);
      events = vertx.eventBus().localConsumer(LiveEvents.address(who.userId()), msg -> send(msg.body()));
      heartbeat = vertx.setPeriodic(heartbeatMs, t -> write(": ping\n\n"));
      expiry = vertx.setTimer(Math.max(1, who.expiresAt().toEpochMilli() - System.currentTimeMillis()), t -> close());
    }

    private void send(JsonObject event) {
      StringBuilder frame = new StringBuilder();
      String id = event.getString("id");
      if (id != null) {
        frame.append("id: ").append(id.replaceAll("[\r\n]", "")).append('\n');
      }
      frame.append("event: ").append(event.getString("event")).append('\n')
          .append("data: ").append(event.getJsonObject("data").encode()).append("\n\n");
      if (!write(frame.toString())) {
        close();  // a client this far behind reconnects and reloads rather than pile up memory here
      }
    }

    private boolean write(String text) {
      if (closed || res.ended() || res.closed()) {
        return true;
      }
      if (res.writeQueueFull()) {
        return false;
      }
      res.write(text);
      return true;
    }

    void close() {
      if (closed) {
        return;
      }
      closed = true;
      open.remove(this);
      vertx.cancelTimer(heartbeat);
      vertx.cancelTimer(expiry);
      if (events != null) {
        events.unregister();
      }
      slots.release(who.userId());
      if (!res.ended() && !res.closed()) {
        res.end();
      }
    }
  }
}
