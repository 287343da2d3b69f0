package io.shutterbus.gateway.admin;

import io.shutterbus.events.inspect.EventInspector;
import io.shutterbus.events.inspect.EventQuery;
import io.shutterbus.events.inspect.KafkaUnreachableException;
import io.shutterbus.events.inspect.NoSuchTopicException;
import io.shutterbus.events.inspect.RecordView;
import io.shutterbus.kit.auth.BearerAuthHandler;
import io.shutterbus.kit.config.KafkaSettings;
import io.shutterbus.kit.http.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin event inspection API, role {@code admin} only (401 without a token, 403 for others):
 * topics with counts, messages of a topic with partition, offset, since, key and text filters and
 * a limit, consumer groups with lag, and a live tail as Server-Sent Events. E-mails are masked.
 * Kafka is read with blocking clients on worker threads ({@link EventInspector}); a live tail holds
 * one thread of a small bounded pool while it is open. There is one API per gateway process
 * ({@link #shared}), so the pools, the tail limit and the Kafka connections do not multiply with
 * {@code GATEWAY_INSTANCES}.
 */
public final class AdminEventsApi implements Shareable {
  private static final String SHARED_MAP = "shutterbus.gateway.admin-events";
  private static final Logger LOG = LoggerFactory.getLogger(AdminEventsApi.class);
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
  private static final int MAX_LIMIT = 500;
  private static final int DEFAULT_LIMIT = 50;

  private final Vertx vertx;
  private final KafkaSettings kafka;
  private final ExecutorService workers;
  private final ExecutorService tailThreads;
  private final Semaphore tailSlots;
  private final Duration heartbeat;
  private final Set<LiveTail> openTails = ConcurrentHashMap.newKeySet();
  private volatile EventInspector inspector;
  private int users;  // guarded by AdminEventsApi.class

  /**
   * The API of this gateway process, made by the first caller; every caller must {@link #close}
   * it once, and the last close releases the pools and the Kafka clients.
   */
  public static AdminEventsApi shared(Vertx vertx, KafkaSettings kafka, int maxTails, Duration heartbeat) {
    synchronized (AdminEventsApi.class) {
      LocalMap<String, AdminEventsApi> map = vertx.sharedData().getLocalMap(SHARED_MAP);
      AdminEventsApi api = map.get("api");
      if (api == null) {
        api = new AdminEventsApi(vertx, kafka, maxTails, heartbeat);
        map.put("api", api);
      }
      api.users++;
      return api;
    }
  }

  private AdminEventsApi(Vertx vertx, KafkaSettings kafka, int maxTails, Duration heartbeat) {
    this.vertx = vertx;
    this.kafka = kafka;
    // Plain pools, not a Vert.x WorkerExecutor: that one would close with whichever verticle made it.
    this.workers = Executors.newFixedThreadPool(2, daemon("admin-events"));
    this.tailThreads = Executors.newFixedThreadPool(maxTails, daemon("admin-events-tail"));
    this.tailSlots = new Semaphore(maxTails);
    this.heartbeat = heartbeat;
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Mounts the routes; each carries the token check and the admin check, and its own template name. */
  public void mount(Router router, BearerAuthHandler bearer) {
    Handler<RoutingContext> admin = ctx -> {
      if (!BearerAuthHandler.principal(ctx).hasRole("admin")) {
        ctx.fail(ProblemException.of(403, "forbidden", "Forbidden", "Event inspection is for administrators."));
        return;
      }
      ctx.next();
    };
    route(router, "/api/admin/events/topics", bearer, admin, this::topics);
    route(router, "/api/admin/events/groups", bearer, admin, this::groups);
    route(router, "/api/admin/events/topics/:topic/messages", bearer, admin, this::messages);
    route(router, "/api/admin/events/topics/:topic/tail", bearer, admin, this::tail);
  }

  private static void route(Router router, String path, Handler<RoutingContext> bearer, Handler<RoutingContext> admin,
                            Handler<RoutingContext> handler) {
    router.get(path).setName(path).handler(bearer).handler(admin).handler(handler);
  }

  private void topics(RoutingContext ctx) {
    blocking(ctx, inspector -> {
      JsonArray topics = new JsonArray();
      for (EventInspector.TopicStats t : inspector.topics(false)) {
        topics.add(new JsonObject().put("name", t.name()).put("partitions", t.partitions())
            .put("endOffsets", t.endOffsets()).put("messages", t.messages()));
      }
      return new JsonObject().put("topics", topics);
    });
  }

  private void groups(RoutingContext ctx) {
    blocking(ctx, inspector -> {
      JsonArray rows = new JsonArray();
      for (EventInspector.GroupLag r : inspector.groups(null)) {
        rows.add(new JsonObject().put("group", r.group()).put("state", r.state()).put("members", r.members())
            .put("topic", r.topic()).put("partition", r.partition()).put("committed", r.committed())
            .put("end", r.end()).put("lag", r.lag()));
      }
      return new JsonObject().put("groups", rows);
    });
  }

  private void messages(RoutingContext ctx) {
    EventQuery query = query(ctx, false);
    blocking(ctx, inspector -> {
      List<RecordView> views = inspector.read(query);
      JsonArray items = new JsonArray();
      views.forEach(v -> items.add(v.toJson()));
      return new JsonObject().put("topic", query.topic()).put("items", items);
    });
  }

  /** A live tail: new events of the topic as {@code event: message} SSE frames, with heartbeats. */
  private void tail(RoutingContext ctx) {
    EventQuery query = query(ctx, true);
    HttpServerResponse res = ctx.response();
    if (res.closed()) {
      return;
    }
    if (!tailSlots.tryAcquire()) {
      ctx.fail(ProblemException.of(429, "too-many-tails", "Too Many Requests",
          "Too many live tails are open; close one and try again."));
      return;
    }
    LiveTail tail = new LiveTail(res, vertx.getOrCreateContext());
    openTails.add(tail);
    res.closeHandler(v -> tail.cancel());
    res.setChunked(true)
        .putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache")
        .putHeader("x-accel-buffering", "no");
    res.write("retry: 3000\n\n");
    long beat = vertx.setPeriodic(heartbeat.toMillis(), t -> tail.heartbeat());
    try {
      tailThreads.execute(() -> {
        String error = null;
        try {
          inspector().read(query, tail::deliver, tail::cancelled);
        } catch (Exception e) {
          error = e instanceof KafkaUnreachableException || e instanceof NoSuchTopicException
              ? e.getMessage() : "the tail stopped";
          LOG.warn("admin tail of {} ended: {}", query.topic(), e.toString());
        } finally {
          tailSlots.release();
          openTails.remove(tail);
          tail.finished(error);
          vertx.cancelTimer(beat);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      tailSlots.release();
      openTails.remove(tail);
      vertx.cancelTimer(beat);
      tail.cancel();
    }
  }

  private EventQuery query(RoutingContext ctx, boolean follow) {
    String topic = ctx.pathParam("topic");
    if (topic == null || !TOPIC.matcher(topic).matches()) {
      throw ProblemException.invalidField("topic", "A topic name is letters, digits, '.', '_' and '-' only.");
    }
    Integer partition = intParam(ctx, "partition", 0, Integer.MAX_VALUE);
    Long offset = ctx.queryParams().contains("offset") ? (long) intParam(ctx, "offset", 0, Integer.MAX_VALUE) : null;
    Instant since = null;
    String sinceText = ctx.queryParams().get("since");
    if (sinceText != null && !sinceText.isBlank()) {
      try {
        since = EventQuery.parseSince(sinceText, Instant.now());
      } catch (IllegalArgumentException e) {
        throw ProblemException.invalidField("since", "since takes 30s, 10m, 2h, 1d or an ISO time such as 2026-11-26T10:00:00Z.");
      }
    }
    boolean fromBeginning = "true".equals(ctx.queryParams().get("fromBeginning"));
    Integer limit = intParam(ctx, "limit", 1, MAX_LIMIT);
    int size = limit == null ? DEFAULT_LIMIT : limit;
    try {
      return new EventQuery(topic, partition, fromBeginning, offset, since, follow ? 0 : size,
          blankToNull(ctx.queryParams().get("key")), blankToNull(ctx.queryParams().get("q")),
          follow ? limit : Integer.valueOf(size), follow, false);
    } catch (IllegalArgumentException e) {
      throw ProblemException.badRequest("Choose one start: fromBeginning, offset or since.");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static Integer intParam(RoutingContext ctx, String name, int min, int max) {
    String raw = ctx.queryParams().get(name);
    if (raw == null || raw.isBlank()) {
      return null;
    }
    try {
      int v = Integer.parseInt(raw.trim());
      if (v < min || v > max) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw ProblemException.invalidField(name, name + " must be a whole number from " + min + " to " + max + ".");
    }
  }

  @FunctionalInterface
  private interface InspectorCall {
    JsonObject call(EventInspector inspector) throws Exception;
  }

  private void blocking(RoutingContext ctx, InspectorCall call) {
    Context context = vertx.getOrCreateContext();
    java.util.concurrent.CompletableFuture<JsonObject> result = new java.util.concurrent.CompletableFuture<>();
    try {
      workers.execute(() -> {
        try {
          result.complete(call.call(inspector()));
        } catch (Throwable e) {
          result.completeExceptionally(e);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      result.completeExceptionally(stopping);
    }
    Future.fromCompletionStage(result, context)
        .onSuccess(ctx::json)
        .onFailure(err -> ctx.fail(toProblem(err)));
  }

  private static Throwable toProblem(Throwable err) {
    if (err instanceof NoSuchTopicException) {
      return ProblemException.notFound(err.getMessage() + ".");
    }
    if (err instanceof KafkaUnreachableException || err instanceof java.util.concurrent.TimeoutException
        || err instanceof java.util.concurrent.ExecutionException) {
      return ProblemException.unavailable("kafka", "Kafka is not answering right now; try again in a moment.");
    }
    return err;
  }

  /** One long-lived inspector (its admin client reconnects by itself); made on first use. */
  private EventInspector inspector() {
    EventInspector current = inspector;
    if (current == null) {
      synchronized (this) {
        if (inspector == null) {
          inspector = EventInspector.connect(kafka.bootstrapServers());
        }
        current = inspector;
      }
    }
    return current;
  }

  /**
   * Ends the live tails served by the calling verticle instance (its server would otherwise wait
   * for them while draining); the last user's close also stops the pools and the Kafka clients.
   */
  public Future<Void> close() {
    Context caller = Vertx.currentContext();
    openTails.stream().filter(t -> caller == null || t.servedOn(caller)).forEach(LiveTail::cancel);
    synchronized (AdminEventsApi.class) {
      if (--users > 0) {
        return Future.succeededFuture();
      }
      vertx.sharedData().getLocalMap(SHARED_MAP).remove("api");
    }
    openTails.forEach(LiveTail::cancel);
    tailThreads.shutdownNow();
    EventInspector current = inspector;
    return vertx.<Void>executeBlocking(() -> {
      if (current != null) {
        current.close();
      }
      return null;
    }).eventually(() -> {
      workers.shutdownNow();
      return Future.succeededFuture();
    });
  }
}
