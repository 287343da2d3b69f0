package io.shutterbus.auth.token;

import io.shutterbus.kit.config.ConfigException;
import io.shutterbus.kit.config.Env;
import java.nio.file.Path;

/**
 * Where the ES256 signing key comes from. External mode (the default, and how Kubernetes runs it):
 * a PEM file and its key id, both required. Embedded mode ({@code SHUTTERBUS_MODE=embedded}): a key
 * pair generated once under {@code $SHUTTERBUS_DATA_DIR/keys/}, unless a file is given anyway.
 *
 * <p>Key rotation: an optional second key ({@code AUTH_JWT_EXTRA_KEY_FILE} + {@code AUTH_JWT_EXTRA_KEY_ID})
 * is published in the JWKS next to the signing key but never signs. It is the next key before a
 * rotation (every verifier learns it before any token carries it) and the previous key after one
 * (tokens it signed stay valid until they expire). A blank {@code AUTH_JWT_EXTRA_KEY_ID} means none.
 *
 * @param privateKeyFile null when the embedded key is used
 * @param keyId          null when the embedded key is used (its id is the key's JWK thumbprint)
 * @param generatedDir   null in external mode
 * @param extraKeyFile   null when no extra key is published
 * @param extraKeyId     null when no extra key is published
 */
public record KeySettings(Path privateKeyFile, String keyId, Path generatedDir, Path extraKeyFile, String extraKeyId) {
  public static final String FILE_VARIABLE = "AUTH_JWT_PRIVATE_KEY_FILE";
  public static final String KEY_ID_VARIABLE = "AUTH_JWT_KEY_ID";
  public static final String EXTRA_FILE_VARIABLE = "AUTH_JWT_EXTRA_KEY_FILE";
  public static final String EXTRA_KEY_ID_VARIABLE = "AUTH_JWT_EXTRA_KEY_ID";

  public KeySettings(Path privateKeyFile, String keyId, Path generatedDir) {
    this(privateKeyFile, keyId, generatedDir, null, null);
  }

  public static KeySettings fromEnv(Env env) {
    Path extraFile = null;
    String extraId = null;
    if (env.has(EXTRA_KEY_ID_VARIABLE)) {
      extraId = env.required(EXTRA_KEY_ID_VARIABLE);
      extraFile = Path.of(env.required(EXTRA_FILE_VARIABLE));
    }
    boolean embedded = "embedded".equals(env.string("SHUTTERBUS_MODE", "external"));
    if (embedded && !env.has(FILE_VARIABLE)) {
      return new KeySettings(null, null, env.path("SHUTTERBUS_DATA_DIR", "./data").resolve("keys"), extraFile, extraId);
    }
    Path file = Path.of(env.required(FILE_VARIABLE));
    String keyId = env.required(KEY_ID_VARIABLE);
    if (keyId.equals(extraId)) {
      throw new ConfigException(EXTRA_KEY_ID_VARIABLE + " equals " + KEY_ID_VARIABLE + " (" + keyId
          + "): the extra key must have a kid of its own");
    }
    return new KeySettings(file, keyId, null, extraFile, extraId);
  }
}
