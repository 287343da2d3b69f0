package io.shutterbus.kit.run;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order in which one Vert.x (a service, or the whole platform) stops, so that nothing accepted
 * is cut off: readiness answers 503 first (load balancers stop sending), then after a grace period
 * the public HTTP servers stop accepting and drain what is in flight, then the Kafka consumers stop
 * once their record in flight is committed, then the outbox relays publish what the drained requests
 * wrote and flush their producers, and the management servers go last. Pools close with the
 * verticles that own them; whatever is left goes with {@code vertx.close()}, which the caller runs
 * after {@link #run}, and only then may embedded servers stop.
 *
 * <p>Verticles enrol their deployment at start with {@link #enrol}; {@code Servers.listen} does it for
 * every HTTP server, the management server moves itself to the last stage.
 */
public final class Shutdown implements Shareable {
  /** Stages, stopped in this order. */
  public enum Stage { HTTP, CONSUMERS, RELAYS, MANAGEMENT }

  /** {@code SHUTTERBUS_SHUTDOWN_GRACE_MS}: how long readiness says 503 before the servers stop accepting. */
  public static final long DEFAULT_GRACE_MS = 1000;
  private static final Logger LOG = LoggerFactory.getLogger(Shutdown.class);
  private static final String MAP = "shutterbus.shutdown";

  private final Map<Stage, Set<String>> deployments = new EnumMap<>(Stage.class);
  private volatile boolean draining;

  private Shutdown() {
  }

  /** The sequence of this Vert.x, made on first use. */
  public static Shutdown of(Vertx vertx) {
    LocalMap<String, Shutdown> map = vertx.sharedData().getLocalMap(MAP);
    Shutdown existing = map.get("sequence");
    if (existing != null) {
      return existing;
    }
    Shutdown made = new Shutdown();
    Shutdown raced = map.putIfAbsent("sequence", made);
    return raced == null ? made : raced;
  }

  /** Enrols the deployment of the calling verticle (no-op outside one) in a stage, leaving any other. */
  public static void enrol(Vertx vertx, Stage stage) {
    Context context = Vertx.currentContext();
    String id = context == null ? null : context.deploymentID();
    if (id != null) {
      of(vertx).add(stage, id);
    }
  }

  private synchronized void add(Stage stage, String id) {
    deployments.values().forEach(ids -> ids.remove(id));
    deployments.computeIfAbsent(stage, s -> new LinkedHashSet<>()).add(id);
  }

  private synchronized List<String> in(Stage stage) {
    return List.copyOf(deployments.getOrDefault(stage, Set.of()));
  }

  /** True once {@link #run} began: readiness must answer 503. */
  public boolean draining() {
    return draining;
  }

  /** Flips readiness, waits {@code grace}, then undeploys stage by stage; never fails. */
  public Future<Void> run(Vertx vertx, Duration grace) {
    draining = true;
    LOG.info("stopping: readiness is DOWN; servers stop accepting in {} ms", grace.toMillis());
    Promise<Void> graceOver = Promise.promise();
    if (grace.isZero()) {
      graceOver.complete();
    } else {
      vertx.setTimer(grace.toMillis(), t -> graceOver.complete());
    }
    Future<Void> chain = graceOver.future();
    for (Stage stage : Stage.values()) {
      chain = chain.compose(v -> undeploy(vertx, stage));
    }
    return chain;
  }

  private Future<Void> undeploy(Vertx vertx, Stage stage) {
    List<Future<Void>> stops = in(stage).stream()
        .map(id -> vertx.undeploy(id).recover(err -> {
          LOG.debug("{} {} did not undeploy cleanly: {}", stage, id, err.toString());
          return Future.succeededFuture();
        }))
        .toList();
    return Future.join(stops).<Void>mapEmpty().recover(err -> Future.succeededFuture())
        .onComplete(v -> LOG.debug("stopped: {}", stage));
  }
}
