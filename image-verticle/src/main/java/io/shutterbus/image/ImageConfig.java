package io.shutterbus.image;

import io.shutterbus.image.render.ThumbnailRenderer;
import io.shutterbus.image.upload.UploadLimits;
import io.shutterbus.kit.auth.JwtSettings;
import io.shutterbus.kit.config.Env;
import io.shutterbus.kit.config.HttpSettings;
import io.shutterbus.kit.config.KafkaSettings;
import io.shutterbus.kit.config.PgSettings;
import java.nio.file.Path;
import java.util.List;

/**
 * Settings of the {@code image} service and the {@code image-worker}, read once at start.
 *
 * @param http              IMAGE_PORT (8082) and IMAGE_MANAGEMENT_PORT (9082)
 * @param worker            the worker's management port IMAGE_WORKER_MANAGEMENT_PORT (9084); it has no public port
 * @param jwt               how access tokens are checked (AUTH_JWKS_URL, JWT_ISSUER, JWT_AUDIENCE, see {@link JwtSettings})
 * @param storageDir        IMAGE_STORAGE_DIR, default {@code $SHUTTERBUS_DATA_DIR/images} ({@code ./data/images})
 * @param limits            upload and quota limits, see {@link UploadLimits}
 * @param instances         HTTP verticle instances of the image service, IMAGE_INSTANCES (default: one per core)
 * @param workerParallelism images decoded at once per worker process, IMAGE_WORKER_PARALLELISM (default 2)
 * @param workerMaxAttempts tries of an image whose storage keeps failing before it is failed and
 *                          dead-lettered, IMAGE_WORKER_MAX_ATTEMPTS (default 8, about a minute of backoff)
 * @param thumbnailSizes    longest edges of the thumbnails made and served
 */
public record ImageConfig(HttpSettings http, HttpSettings worker, PgSettings pg, KafkaSettings kafka, JwtSettings jwt,
                          Path storageDir, UploadLimits limits, int instances, int workerParallelism,
                          int workerMaxAttempts, List<Integer> thumbnailSizes) {
  public static final int DEFAULT_PORT = 8082;
  public static final int DEFAULT_MANAGEMENT_PORT = 9082;
  public static final int DEFAULT_WORKER_MANAGEMENT_PORT = 9084;

  public ImageConfig {
    thumbnailSizes = List.copyOf(thumbnailSizes);
  }

  /** IMAGE_STORAGE_DIR, default {@code $SHUTTERBUS_DATA_DIR/images}: alone, for a gateway in the same process. */
  public static Path storageDir(Env env) {
    Path dataDir = env.path("SHUTTERBUS_DATA_DIR", "./data");
    return env.path("IMAGE_STORAGE_DIR", dataDir.resolve("images").toString()).toAbsolutePath().normalize();
  }

  public static ImageConfig fromEnv(Env env) {
    return new ImageConfig(
        HttpSettings.fromEnv(env, "IMAGE", DEFAULT_PORT, DEFAULT_MANAGEMENT_PORT),
        HttpSettings.fromEnv(env, "IMAGE_WORKER", -1, DEFAULT_WORKER_MANAGEMENT_PORT),
        PgSettings.fromEnv(env),
        KafkaSettings.fromEnv(env),
        JwtSettings.fromEnv(env),
        storageDir(env),
        UploadLimits.fromEnv(env),
        env.instances("IMAGE_INSTANCES"),
        env.integer("IMAGE_WORKER_PARALLELISM", 2, 1, 64),
        env.integer("IMAGE_WORKER_MAX_ATTEMPTS", 8, 1, 1000),
        ThumbnailRenderer.DEFAULT_SIZES);
  }
}
