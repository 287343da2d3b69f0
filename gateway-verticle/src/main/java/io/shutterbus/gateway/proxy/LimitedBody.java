package io.shutterbus.gateway.proxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A request body on its way to an upstream, counted as it streams. Past {@code limit} bytes it stops
 * reading, tells {@code onTooLarge} and fails the stream (which resets the upstream request); at its
 * end it tells {@code onEnd}, which is when the wait for the upstream's answer starts.
 */
final class LimitedBody implements ReadStream<Buffer> {
  /** The failure a too-large body ends its stream with. */
  static final class TooLarge extends RuntimeException {
    TooLarge(long limit) {
      super("request body larger than " + limit + " bytes", null, false, false);
    }
  }

  private final ReadStream<Buffer> source;
  private final long limit;
  private final Runnable onEnd;
  private final Runnable onTooLarge;
  private long seen;
  private boolean exceeded;
  private Handler<Throwable> exceptionHandler;

  LimitedBody(ReadStream<Buffer> source, long limit, Runnable onEnd, Runnable onTooLarge) {
    this.source = source;
    this.limit = limit;
    this.onEnd = onEnd;
    this.onTooLarge = onTooLarge;
  }

  @Override
  public LimitedBody exceptionHandler(Handler<Throwable> handler) {
    exceptionHandler = handler;
    source.exceptionHandler(handler);
    return this;
  }

  @Override
  public LimitedBody handler(Handler<Buffer> handler) {
    source.handler(handler == null ? null : chunk -> {
      if (exceeded) {
        return;
      }
      seen += chunk.length();
      if (seen > limit) {
        exceeded = true;
        source.pause();
        onTooLarge.run();
        Handler<Throwable> failed = exceptionHandler;
        if (failed != null) {
          failed.handle(new TooLarge(limit));
        }
        return;
      }
      handler.handle(chunk);
    });
    return this;
  }

  @Override
  public LimitedBody endHandler(Handler<Void> handler) {
    source.endHandler(handler == null ? null : v -> {
      if (!exceeded) {
        onEnd.run();
        handler.handle(v);
      }
    });
    return this;
  }

  @Override
  public LimitedBody pause() {
    source.pause();
    return this;
  }

  @Override
  public LimitedBody resume() {
    if (!exceeded) {
      source.resume();
    }
    return this;
  }

  @Override
  public LimitedBody fetch(long amount) {
    if (!exceeded) {
      source.fetch(amount);
    }
    return this;
  }
}
