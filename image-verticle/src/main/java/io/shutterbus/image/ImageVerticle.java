package io.shutterbus.image;

import io.shutterbus.image.db.ImageRepository;
import io.shutterbus.image.endpoint.ImagesHandler;
import io.shutterbus.image.endpoint.UploadHandler;
import io.shutterbus.kit.uploads.UploadServing;
import io.shutterbus.image.store.BlobCollector;
import io.shutterbus.image.store.ContentStore;
import io.shutterbus.kit.auth.BearerAuthHandler;
import io.shutterbus.kit.auth.JwksVerifier;
import io.shutterbus.kit.db.PgPools;
import io.shutterbus.kit.http.JsonContentType;
import io.shutterbus.kit.http.Routers;
import io.shutterbus.kit.http.Servers;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The image API and the public files. {@code /api/images/**} checks the Bearer token itself against
 * the JWKS (never a header the gateway may have forgotten to strip); {@code /uploads/**} is public
 * and never touches the database. No BodyHandler anywhere: uploads stream to the store.
 */
public final class ImageVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ImageVerticle.class);
  /** Temp files older than this are left over from a crash, not an upload still coming in. */
  static final Duration TEMP_MAX_AGE = Duration.ofHours(6);
  /** Blob files no image refers to are swept this old at least (normally a delete removes them at once). */
  static final Duration ORPHAN_MIN_AGE = Duration.ofMinutes(10);
  private final ImageConfig config;
  private final ContentStore store;
  private Pool pool;
  private JwksVerifier verifier;
  private HttpServer server;
  private long sweepTimer = -1;
  private long orphanTimer = -1;

  public ImageVerticle(ImageConfig config, ContentStore store) {
    this.config = config;
    this.store = store;
  }

  @Override
  public Future<?> start() {
    pool = PgPools.shared(vertx, config.pg(), ImageService.NAME);
    verifier = JwksVerifier.create(vertx, config.jwt());
    sweepTimer = vertx.setPeriodic(60_000, 600_000, t -> sweepTemp());
    BlobCollector blobs = new BlobCollector(vertx, pool, new ImageRepository(), store);
    orphanTimer = vertx.setPeriodic(Duration.ofMinutes(5).toMillis(), Duration.ofHours(6).toMillis(),
        t -> blobs.sweep(ORPHAN_MIN_AGE)
            .onFailure(e -> LOG.warn("could not sweep blob files no image refers to: {}", e.toString())));
    HttpServerOptions options = new HttpServerOptions().setIdleTimeout(60).setIdleTimeoutUnit(TimeUnit.SECONDS);
    return Servers.listen(vertx, options, router(), config.http().host(), config.http().port(),
            config.http().portVariable())
        .onSuccess(s -> server = s);
  }

  private Router router() {
    ImageRepository repo = new ImageRepository();
    BearerAuthHandler bearer = BearerAuthHandler.create(verifier, "auth");
    UploadHandler upload = new UploadHandler(vertx, pool, repo, store, config.limits());
    ImagesHandler images = new ImagesHandler(pool, repo, new BlobCollector(vertx, pool, repo, store),
        config.thumbnailSizes());

    Router router = Routers.create(vertx);
    router.post("/api/images").handler(bearer).handler(upload);
    router.get("/api/images").handler(bearer).handler(images::list);
    router.get("/api/images/:id").handler(bearer).handler(images::get);
    router.delete("/api/images/:id").handler(bearer).handler(images::delete);
    router.post("/api/images/:id/reprocess").handler(bearer).handler(JsonContentType.ifPresent()).handler(images::reprocess);
    new UploadServing(store.layout(), config.thumbnailSizes()).mount(router);
    return router;
  }

  private void sweepTemp() {
    vertx.executeBlocking(() -> store.sweepTemp(TEMP_MAX_AGE), false)
        .onSuccess(n -> {
          if (n > 0) {
            LOG.info("removed {} temp file(s) left over in the image store", n);
          }
        })
        .onFailure(e -> LOG.warn("could not sweep the image store's temp files: {}", e.toString()));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sweepTimer);
    vertx.cancelTimer(orphanTimer);
    Future<Void> drained = server == null ? Future.succeededFuture() : server.shutdown(10, TimeUnit.SECONDS);
    return drained.eventually(() -> {
      verifier.close();
      return pool.close();
    });
  }

  public int actualPort() {
    return server.actualPort();
  }
}
