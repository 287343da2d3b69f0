package io.shutterbus.testkit;

import java.util.Collection;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;

/**
 * Gives a test class real PostgreSQL and Kafka: started once per JVM (Testcontainers when a Docker
 * engine answers, embedded otherwise, or as {@code SHUTTERBUS_TEST_INFRA=embedded|containers}
 * says) and shared, with a database and a topic prefix of the class's own so classes never see
 * each other's rows or events. Inject {@link Infra} into a constructor, a lifecycle method or a test.
 */
public final class InfraExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(InfraExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext param, ExtensionContext ctx) {
    return param.getParameter().getType() == Infra.class;
  }

  @Override
  public Object resolveParameter(ParameterContext param, ExtensionContext ctx) {
    Servers servers = ctx.getRoot().getStore(NS)
        .getOrComputeIfAbsent("servers", k -> new ServersResource(startServers()), ServersResource.class).servers;
    Class<?> testClass = ctx.getRequiredTestClass();
    return ctx.getStore(NS.append(testClass.getName()))
        .getOrComputeIfAbsent("infra", k -> forClass(servers, testClass), Infra.class);
  }

  private static Servers startServers() {
    String choice = System.getenv().getOrDefault("SHUTTERBUS_TEST_INFRA", "auto");
    boolean containers = switch (choice) {
      case "containers" -> true;
      case "embedded" -> false;
      default -> dockerAvailable();
    };
    try {
      return containers ? new ContainerServers() : new EmbeddedServers();
    } catch (Exception e) {
      throw new IllegalStateException("could not start the test PostgreSQL and Kafka", e);
    }
  }

  private static boolean dockerAvailable() {
    // Ask Testcontainers only where an engine could be: its probing logs errors on machines without one.
    boolean socket = java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"));
    if (!socket && System.getenv("DOCKER_HOST") == null
        && !java.nio.file.Files.exists(java.nio.file.Path.of(System.getProperty("user.home"), ".testcontainers.properties"))) {
      return false;
    }
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable t) {
      return false;
    }
  }

  private static Infra forClass(Servers servers, Class<?> testClass) {
    String suffix = UUID.randomUUID().toString().substring(0, 6);
    String base = testClass.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    String database = "t_" + base.substring(0, Math.min(base.length(), 40)) + "_" + suffix;
    String prefix = base + "-" + suffix + ".";
    servers.createDatabase(database);
    return new Infra() {
      public String pgHost() {
        return servers.pgHost();
      }

      public int pgPort() {
        return servers.pgPort();
      }

      public String pgDatabase() {
        return database;
      }

      public String pgUser() {
        return servers.pgUser();
      }

      public String pgPassword() {
        return servers.pgPassword();
      }

      public String bootstrapServers() {
        return servers.bootstrapServers();
      }

      public String topicPrefix() {
        return prefix;
      }

      public void createTopics(Collection<String> topics, int partitions) {
        servers.createTopics(topics, partitions);
      }

      public String backend() {
        return servers.name();
      }
    };
  }

  /** Stops the shared servers when the whole test plan is done. */
  private record ServersResource(Servers servers) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() throws Exception {
      servers.close();
    }
  }
}
