package io.shutterbus.kit.config;

/** Where a service finds PostgreSQL and how big its pool is. {@link #toString()} hides the password. */
public record PgSettings(String host, int port, String database, String user, String password,
                         int poolSize, int connectTimeoutMs) {

  public static PgSettings fromEnv(Env env) {
    return new PgSettings(
        env.required("PG_HOST"),
        env.port("PG_PORT", 5432),
        env.string("PG_DATABASE", "shutterbus"),
        env.string("PG_USER", "shutterbus"),
        env.required("PG_PASSWORD"),
        env.integer("PG_POOL_SIZE", 8, 1, 200),
        env.integer("PG_CONNECT_TIMEOUT_MS", 1500, 100, 60000));
  }

  public String address() {
    return host + ":" + port + "/" + database;
  }

  @Override
  public String toString() {
    return "PgSettings[" + user + "@" + address() + ", pool=" + poolSize + "]";
  }
}
