package io.shutterbus.auth.password;

import io.shutterbus.kit.http.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hashes and verifies passwords on a bounded worker pool, never on an event loop. The queue is
 * bounded too: past {@code maxPending} waiting jobs a caller gets 503 at once instead of joining a
 * line that only grows. Unknown e-mails are checked against a dummy hash so that a login for an
 * account that does not exist costs the same time as a wrong password.
 */
public final class PasswordHasher {
  private static final String POOL_NAME = "auth-password-hashing";
  private final WorkerExecutor executor;
  private final int maxPending;
  private final AtomicInteger pending = new AtomicInteger();
  private final String dummyHash;

  private PasswordHasher(WorkerExecutor executor, int maxPending, String dummyHash) {
    this.executor = executor;
    this.maxPending = maxPending;
    this.dummyHash = dummyHash;
  }

  /** A hasher on {@code threads} shared worker threads; computes its dummy hash there first. */
  public static Future<PasswordHasher> create(Vertx vertx, int threads, int maxPending) {
    WorkerExecutor executor = vertx.createSharedWorkerExecutor(POOL_NAME, threads, 30, TimeUnit.SECONDS);
    return executor.executeBlocking(() -> Argon2id.hash(UUID.randomUUID().toString()), false)
        .map(dummy -> new PasswordHasher(executor, maxPending, dummy))
        .onFailure(err -> executor.close());
  }

  public Future<String> hash(String password) {
    return run(() -> Argon2id.hash(password));
  }

  public Future<Boolean> verify(String password, String phc) {
    return run(() -> Argon2id.verify(password, phc));
  }

  /** Takes as long as {@link #verify} and always answers false. */
  public Future<Boolean> verifyAgainstDummy(String password) {
    return run(() -> Argon2id.verify(password, dummyHash) && false);
  }

  public Future<Void> close() {
    return executor.close();
  }

  private <T> Future<T> run(Callable<T> job) {
    if (pending.incrementAndGet() > maxPending) {
      pending.decrementAndGet();
      return Future.failedFuture(ProblemException.unavailable("password-hashing",
          "Too many sign-ins and registrations at once; try again in a moment."));
    }
    return executor.executeBlocking(job, false).onComplete(ar -> pending.decrementAndGet());
  }
}
