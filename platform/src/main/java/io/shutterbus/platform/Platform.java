package io.shutterbus.platform;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shutterbus.auth.AuthConfig;
import io.shutterbus.auth.AuthService;
import io.shutterbus.embedded.EmbeddedKafka;
import io.shutterbus.embedded.EmbeddedPostgres;
import io.shutterbus.events.Topics;
import io.shutterbus.gateway.GatewayConfig;
import io.shutterbus.gateway.GatewayService;
import io.shutterbus.image.ImageConfig;
import io.shutterbus.image.ImageService;
import io.shutterbus.image.ImageWorkerService;
import io.shutterbus.kit.config.Env;
import io.shutterbus.kit.config.HttpSettings;
import io.shutterbus.kit.config.KafkaSettings;
import io.shutterbus.kit.metrics.Metrics;
import io.shutterbus.kit.run.ServiceRunner;
import io.shutterbus.kit.run.ServiceRuntime;
import io.shutterbus.kit.run.Shutdown;
import io.shutterbus.portal.PortalConfig;
import io.shutterbus.portal.PortalService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every Shutterbus service in one JVM, over an embedded PostgreSQL and Kafka (or external ones).
 * Start order: ports checked, data dir locked, PostgreSQL, Kafka, topics, services. Close runs it
 * backwards and leaves no child process behind.
 */
public final class Platform implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Platform.class);
  static final String DATABASE = "shutterbus";

  static final List<ServiceEntry> SERVICES = List.of(
      new ServiceEntry(GatewayService.NAME, "GATEWAY", GatewayConfig.DEFAULT_PORT,
          GatewayConfig.DEFAULT_MANAGEMENT_PORT, GatewayService::deploy, env -> env.instances("GATEWAY_INSTANCES")),
      new ServiceEntry(AuthService.NAME, "AUTH", AuthConfig.DEFAULT_PORT,
          AuthConfig.DEFAULT_MANAGEMENT_PORT, AuthService::deploy, env -> env.instances("AUTH_INSTANCES")),
      new ServiceEntry(ImageService.NAME, "IMAGE", ImageConfig.DEFAULT_PORT,
          ImageConfig.DEFAULT_MANAGEMENT_PORT, ImageService::deploy, env -> env.instances("IMAGE_INSTANCES")),
      new ServiceEntry(ImageWorkerService.NAME, "IMAGE_WORKER", ServiceEntry.NO_PUBLIC_PORT,
          // one loop per consumer; decoding runs on the image-render worker pool
          ImageConfig.DEFAULT_WORKER_MANAGEMENT_PORT, ImageWorkerService::deploy,
          env -> env.integer("IMAGE_WORKER_PARALLELISM", 2, 1, 64)),
      new ServiceEntry(PortalService.NAME, "PORTAL", PortalConfig.DEFAULT_PORT,
          PortalConfig.DEFAULT_MANAGEMENT_PORT, PortalService::deploy, env -> env.integer("PORTAL_INSTANCES", 1, 1, 64)));

  private final PlatformConfig config;
  private final Env serviceEnv;
  private DataDirLock lock;
  private EmbeddedPostgres postgres;
  private EmbeddedKafka kafka;
  private DrillConsole drillConsole;
  /** One Vert.x (and metrics registry) per service, in start order: each management port serves its own service only. */
  private final List<Vertx> vertxes = new ArrayList<>();

  private Platform(PlatformConfig config, Env serviceEnv) {
    this.config = config;
    this.serviceEnv = serviceEnv;
  }

  /** Starts everything or, on any failure, stops what had started and rethrows. */
  public static Platform start(Env env, PrintStream out) throws Exception {
    Platform platform = create(env);
    platform.start(out);
    return platform;
  }

  /** Reads the configuration; starts nothing, so a shutdown hook can be in place before {@link #start}. */
  public static Platform create(Env env) {
    PlatformConfig config = PlatformConfig.fromEnv(env, SERVICES.stream().skip(1).map(ServiceEntry::name).toList());  // never the gateway
    Env serviceEnv = env.withDefaults(Map.of("SHUTTERBUS_BIND_HOST", config.bindHost(),
        "SHUTTERBUS_DATA_DIR", config.dataDir().toString()))
        .with(Map.of("SHUTTERBUS_MODE", config.embedded() ? "embedded" : "external"));
    serviceEnv = serviceEnv.withDefaults(upstreams(serviceEnv));
    return new Platform(config, serviceEnv);
  }

  /**
   * Starts everything or, on any failure, stops what had started and rethrows. Holds the lock of
   * {@link #close()}: a SIGTERM during start-up waits for it, then stops it all.
   */
  public synchronized void start(PrintStream out) throws Exception {
    try {
      lock = lockDataDir(config, serviceEnv);
      if (config.embedded()) {
        // We hold the data dir, so a postmaster still running on it is an orphan of a crashed run.
        EmbeddedPostgres.stopStalePostmaster(config.dataDir().resolve("postgres"));
      }
      checkPorts(config, serviceEnv);
      startAll(out);
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  /** In one JVM the services find each other on loopback at whatever ports they were given. */
  static Map<String, String> upstreams(Env env) {
    return Map.of(
        // one process: the gateway serves /uploads from the image store itself (no proxy hop)
        "GATEWAY_UPLOADS_DIR", ImageConfig.storageDir(env).toString(),
        "AUTH_URL", "http://127.0.0.1:" + env.port("AUTH_PORT", 8081),
        "IMAGE_URL", "http://127.0.0.1:" + env.port("IMAGE_PORT", 8082),
        "PORTAL_URL", "http://127.0.0.1:" + env.port("PORTAL_PORT", 8083));
  }

  /** A live launcher on this data dir most often also holds the ports: name the port, the more useful fix. */
  private static DataDirLock lockDataDir(PlatformConfig config, Env env) throws Exception {
    try {
      return DataDirLock.acquire(config.dataDir());
    } catch (io.shutterbus.kit.config.ConfigException inUse) {
      checkPorts(config, env);
      throw inUse;
    }
  }

  private static void checkPorts(PlatformConfig config, Env env) {
    if (config.embedded()) {
      PortCheck.requireFree("127.0.0.1", config.pgPort(), "EMBEDDED_PG_PORT");
      PortCheck.requireFree("127.0.0.1", config.kafkaPort(), "EMBEDDED_KAFKA_PORT");
      PortCheck.requireFree("127.0.0.1", config.kafkaControllerPort(), "EMBEDDED_KAFKA_CONTROLLER_PORT");
    }
    for (ServiceEntry service : SERVICES) {
      if (config.skippedServices().contains(service.name())) {
        continue;
      }
      HttpSettings http = service.http(env);
      if (http.port() >= 0) {
        PortCheck.requireFree(http.host(), http.port(), http.portVariable());
      }
      PortCheck.requireFree(http.host(), http.managementPort(), http.managementPortVariable());
    }
  }

  private void startAll(PrintStream out) throws Exception {
    Env env = serviceEnv;
    if (config.embedded()) {
      long t0 = System.nanoTime();
      // Stopped by stop(), after the services drained: not by a shutdown hook of its own racing the drain.
      postgres = EmbeddedPostgres.start(config.dataDir().resolve("postgres"), config.pgPort(), false);
      postgres.createDatabase(DATABASE);
      kafka = EmbeddedKafka.start(config.dataDir().resolve("kafka"), config.kafkaPort(), config.kafkaControllerPort());
      LOG.info("embedded PostgreSQL and Kafka up in {} ms", (System.nanoTime() - t0) / 1_000_000);
      env = env.with(Map.of(
          "PG_HOST", "127.0.0.1",
          "PG_PORT", Integer.toString(postgres.port()),
          "PG_DATABASE", DATABASE,
          "PG_USER", EmbeddedPostgres.SUPERUSER,
          // Embedded PostgreSQL trusts loopback connections; the value only satisfies the settings.
          "PG_PASSWORD", HexFormat.of().formatHex(new SecureRandom().generateSeed(8)),
          "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers()));
    }
    List<Future<?>> deployments = new ArrayList<>();
    for (ServiceEntry service : running()) {
      // The JVM's own meters (jvm_*, process_*) go to the first service only, so they are counted once.
      PrometheusMeterRegistry registry = Metrics.newRegistry(service.name());
      Vertx vertx = Metrics.newVertx(registry, Metrics.vertxOptions(service.name(), vertxes.isEmpty())
          .setEventLoopPoolSize(service.eventLoops(env)));
      vertxes.add(vertx);
      if (vertxes.size() == 1) {
        ensureTopics(vertx, KafkaSettings.fromEnv(env));
      }
      deployments.add(service.deploy().apply(new ServiceRuntime(vertx, registry), env));
    }
    Future.all(deployments).await(60, TimeUnit.SECONDS);
    printBanner(out, env);
    if (config.drillConsole()) {
      drillConsole = DrillConsole.listen(postgres, kafka, System.in, out);
    }
  }

  private List<ServiceEntry> running() {
    return SERVICES.stream().filter(s -> !config.skippedServices().contains(s.name())).toList();
  }

  private void ensureTopics(Vertx vertx, KafkaSettings kafkaSettings) {
    KafkaAdminClient admin = KafkaAdminClient.create(vertx, kafkaSettings.clientConfig("shutterbus-platform"));
    try {
      short replication = (short) (config.embedded() ? 1 : Math.min(3, serviceEnv.integer("KAFKA_REPLICATION_FACTOR", 3, 1, 5)));
      Topics.of(kafkaSettings).ensure(admin, replication).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not create the Kafka topics at " + kafkaSettings.bootstrapServers(), e);
    } finally {
      admin.close();
    }
  }

  private void printBanner(PrintStream out, Env env) {
    HttpSettings gateway = SERVICES.get(0).http(env);
    String host = "0.0.0.0".equals(gateway.host()) ? "localhost" : gateway.host().equals("127.0.0.1") ? "localhost" : gateway.host();
    out.println("Shutterbus is up");
    out.println("  portal:     http://" + host + ":" + gateway.port() + "/");
    out.println("  postgresql: " + env.required("PG_HOST") + ":" + env.string("PG_PORT", "5432")
        + " database " + env.string("PG_DATABASE", DATABASE) + (config.embedded() ? " (embedded)" : ""));
    out.println("  kafka:      " + env.required("KAFKA_BOOTSTRAP_SERVERS") + (config.embedded() ? " (embedded)" : ""));
    out.println("  data:       " + config.dataDir());
    if (!config.skippedServices().isEmpty()) {
      out.println("  not here:   " + String.join(", ", config.skippedServices()) + " (" + PlatformConfig.SKIP_VARIABLE + ")");
    }
    for (ServiceEntry service : running()) {
      HttpSettings http = service.http(env);
      out.println("  health:     " + service.name() + " http://127.0.0.1:" + http.managementPort() + "/health/ready");
    }
    out.flush();
  }

  /** Stops the services (draining requests), then Kafka, then PostgreSQL, then releases the data dir. */
  @Override
  public synchronized void close() {
    stop();
  }

  /** Stops what is running; true when something was (a failed or never started platform has nothing). */
  public synchronized boolean stop() {
    boolean running = lock != null;
    if (drillConsole != null) {
      drillConsole.close();
      drillConsole = null;
    }
    if (!vertxes.isEmpty()) {
      // Readiness 503, drain HTTP, consumers, relays, management: all before Kafka and PostgreSQL go.
      // The gateway (the front door, first in SERVICES) drains first, so that the requests it still
      // forwards find auth and image serving; then the services behind it, whose grace is over.
      try {
        Shutdown.of(vertxes.get(0)).run(vertxes.get(0), ServiceRunner.grace(serviceEnv)).await(10, TimeUnit.SECONDS);
        Future.join(vertxes.subList(1, vertxes.size()).stream()
            .map(v -> Shutdown.of(v).run(v, java.time.Duration.ZERO)).toList()).await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("the services' orderly stop did not finish: {}", e.toString());
      }
      try {
        Future.join(vertxes.stream().map(Vertx::close).toList()).await(8, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("services did not stop cleanly: {}", e.toString());
      }
      vertxes.clear();
    }
    if (kafka != null) {
      try {
        kafka.close();
      } catch (RuntimeException e) {
        LOG.warn("Kafka did not stop cleanly: {}", e.toString());
      }
      kafka = null;
    }
    if (postgres != null) {
      try {
        postgres.close();
      } catch (Exception e) {
        LOG.warn("PostgreSQL did not stop cleanly: {}", e.toString());
      }
      postgres = null;
    }
    if (lock != null) {
      try {
        lock.close();
      } catch (Exception e) {
        LOG.warn("could not release the data dir lock: {}", e.toString());
      }
      lock = null;
    }
    return running;
  }
}
