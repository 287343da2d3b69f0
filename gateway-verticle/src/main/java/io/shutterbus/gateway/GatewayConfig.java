package io.shutterbus.gateway;

import io.shutterbus.gateway.limit.LimitSettings;
import io.shutterbus.gateway.proxy.ClientAddress;
import io.shutterbus.gateway.proxy.ProxySettings;
import io.shutterbus.gateway.proxy.Upstream;
import io.shutterbus.kit.auth.JwtSettings;
import io.shutterbus.kit.config.Env;
import io.shutterbus.kit.config.HttpSettings;
import io.shutterbus.kit.config.KafkaSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The gateway's settings, read once at start. Besides those of {@link ProxySettings},
 * {@link LimitSettings}, {@link JwtSettings} and {@link ClientAddress}:
 *
 * <ul>
 *   <li>{@code GATEWAY_PORT} (8080), {@code GATEWAY_MANAGEMENT_PORT} (9080), {@code GATEWAY_INSTANCES} (one per core)</li>
 *   <li>{@code AUTH_URL} (http://127.0.0.1:8081), {@code IMAGE_URL} (http://127.0.0.1:8082),
 *       {@code PORTAL_URL} (http://127.0.0.1:8083): where the upstreams are</li>
 *   <li>{@code GATEWAY_TLS} (false): clients reach the gateway over TLS (terminated in front of it);
 *       turns on HSTS and X-Forwarded-Proto https</li>
 *   <li>{@code IMAGE_MAX_UPLOAD_BYTES} (20 MiB) plus {@code GATEWAY_MULTIPART_OVERHEAD_BYTES} (64 KiB): the
 *       largest body accepted on /api/images/**, the same limit the image service enforces</li>
 *   <li>{@code GATEWAY_MAX_BODY_BYTES} (1 MiB): the largest body anywhere else</li>
 *   <li>{@code GATEWAY_LOGIN_MAX_BODY_BYTES} (8 KiB): the login body, which the gateway reads</li>
 *   <li>{@code GATEWAY_CLIENT_IDLE_TIMEOUT_S} (60): a client connection silent this long is closed</li>
 *   <li>{@code GATEWAY_SSE_HEARTBEAT_MS} (15000): a comment line on each live stream this often, below
 *       the client idle timeout and those of proxies in front</li>
 *   <li>{@code GATEWAY_SSE_MAX_PER_USER} (5): live streams one user may hold open</li>
 *   <li>{@code GATEWAY_ALLOWED_ORIGINS} (empty): origins besides the gateway's own that may send
 *       state-changing requests ({@link CrossSiteGuard})</li>
 *   <li>{@code GATEWAY_UPLOADS_DIR} (unset): the image store's root, when the gateway can read it
 *       (the one-process platform sets it): {@code GET|HEAD /uploads/**} is then served from there
 *       with sendfile, exactly as the image service would, instead of being proxied to it</li>
 * </ul>
 */
public record GatewayConfig(HttpSettings http, KafkaSettings kafka, int instances, boolean tls,
                            Upstream auth, Upstream image, Upstream portal, ProxySettings proxy,
                            JwtSettings jwt, LimitSettings limits, ClientAddress clients,
                            long uploadLimitBytes, long maxBodyBytes, long loginMaxBodyBytes,
                            int clientIdleTimeoutSeconds, Duration sseHeartbeat, int sseMaxPerUser,
                            CrossSiteGuard crossSite,
                            Optional<Path> uploadsDir) {
  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_MANAGEMENT_PORT = 9080;
  public static final long DEFAULT_UPLOAD_BYTES = 20L * 1024 * 1024;

  public static GatewayConfig fromEnv(Env env) {
    boolean tls = env.flag("GATEWAY_TLS", false);
    return new GatewayConfig(
        HttpSettings.fromEnv(env, "GATEWAY", DEFAULT_PORT, DEFAULT_MANAGEMENT_PORT),
        KafkaSettings.fromEnv(env),
        env.instances("GATEWAY_INSTANCES"),
        tls,
        Upstream.fromEnv(env, "auth", "AUTH_URL", JwtSettings.DEFAULT_AUTH_URL),
        Upstream.fromEnv(env, "image", "IMAGE_URL", "http://127.0.0.1:8082"),
        Upstream.fromEnv(env, "portal", "PORTAL_URL", "http://127.0.0.1:8083"),
        ProxySettings.fromEnv(env),
        JwtSettings.fromEnv(env),
        LimitSettings.fromEnv(env),
        ClientAddress.fromEnv(env, tls),
        env.longValue("IMAGE_MAX_UPLOAD_BYTES", DEFAULT_UPLOAD_BYTES, 1, 10L * 1024 * 1024 * 1024)
            + env.longValue("GATEWAY_MULTIPART_OVERHEAD_BYTES", 64 * 1024, 0, 16L * 1024 * 1024),
        env.longValue("GATEWAY_MAX_BODY_BYTES", 1024 * 1024, 1024, 1024L * 1024 * 1024),
        env.longValue("GATEWAY_LOGIN_MAX_BODY_BYTES", 8 * 1024, 256, 1024 * 1024),
        env.integer("GATEWAY_CLIENT_IDLE_TIMEOUT_S", 60, 1, 3600),
        env.millis("GATEWAY_SSE_HEARTBEAT_MS", 15_000, 100, 600_000),
        env.integer("GATEWAY_SSE_MAX_PER_USER", 5, 1, 1000),
        CrossSiteGuard.fromEnv(env, tls),
        env.optional("GATEWAY_UPLOADS_DIR").map(dir -> env.path("GATEWAY_UPLOADS_DIR", dir)));
  }
}
