package io.shutterbus.auth.token;

import io.shutterbus.kit.config.Env;
import java.nio.file.Path;

/**
 * Where the ES256 signing key comes from. External mode (the default, and how Kubernetes runs it):
 * a PEM file and its key id, both required. Embedded mode ({@code SHUTTERBUS_MODE=embedded}): a key
 * pair generated once under {@code $SHUTTERBUS_DATA_DIR/keys/}, unless a file is given anyway.
 *
 * @param privateKeyFile null when the embedded key is used
 * @param keyId          null when the embedded key is used (its id is the key's JWK thumbprint)
 * @param generatedDir   null in external mode
 */
public record KeySettings(Path privateKeyFile, String keyId, Path generatedDir) {
  public static final String FILE_VARIABLE = "AUTH_JWT_PRIVATE_KEY_FILE";
  public static final String KEY_ID_VARIABLE = "AUTH_JWT_KEY_ID";

  public static KeySettings fromEnv(Env env) {
    boolean embedded = "embedded".equals(env.string("SHUTTERBUS_MODE", "external"));
    if (embedded && !env.has(FILE_VARIABLE)) {
      return new KeySettings(null, null, env.path("SHUTTERBUS_DATA_DIR", "./data").resolve("keys"));
    }
    return new KeySettings(Path.of(env.required(FILE_VARIABLE)), env.required(KEY_ID_VARIABLE), null);
  }
}
