package io.shutterbus.events;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTENs on a channel and calls {@code onWake} on the owner's context for every notification and
 * after every (re)subscription, since notifications sent while disconnected are lost. The
 * subscriber reconnects by itself once connected; a failed first connect is retried here, because
 * PgSubscriber applies its reconnect policy only to connections it had.
 */
final class NotifyListener {
  private static final Logger LOG = LoggerFactory.getLogger(NotifyListener.class);
  private static final long MAX_DELAY_MS = 5000;

  private final Vertx vertx;
  private final Context context;
  private final PgConnectOptions options;
  private final String channel;
  private final Runnable onWake;
  private PgSubscriber subscriber;
  private long retryTimer = -1;
  private boolean closed;

  NotifyListener(Vertx vertx, Context context, PgConnectOptions options, String channel, Runnable onWake) {
    this.vertx = vertx;
    this.context = context;
    this.options = options;
    this.channel = channel;
    this.onWake = onWake;
  }

  void start() {
    connect(0);
  }

  private void connect(int attempt) {
    if (closed) {
      return;
    }
    PgSubscriber sub = PgSubscriber.subscriber(vertx, options).reconnectPolicy(NotifyListener::delay);
    sub.channel(channel)
        .subscribeHandler(v -> context.runOnContext(x -> onWake.run()))
        .handler(payload -> context.runOnContext(x -> onWake.run()));
    sub.connect().onComplete(ar -> {
      if (ar.succeeded() && !closed) {
        subscriber = sub;
        return;
      }
      sub.close();
      if (ar.failed() && attempt == 0) {
        LOG.warn("cannot LISTEN on {} yet ({}); polling until it can", channel, ar.cause().toString());
      }
      if (!closed) {
        retryTimer = vertx.setTimer(delay(attempt), t -> connect(attempt + 1));
      }
    });
  }

  private static long delay(int attempt) {
    return Math.min(MAX_DELAY_MS, 250L << Math.min(attempt, 5));
  }

  void close() {
    closed = true;
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
    }
    if (subscriber != null) {
      subscriber.close();
    }
  }
}
