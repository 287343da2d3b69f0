package io.shutterbus.testkit.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What every Shutterbus image must be, checked on the tar {@code jib:buildTar} made offline (the
 * {@code image-check} execution on {@code scratch}): the same settings as the real images, whose
 * only difference is the JRE base layer. Each service module's {@code ContainerImageIT} calls it.
 */
public final class ImageChecks {
  /** The numeric non-root user of every image; the manifests' runAsUser must match it. */
  public static final String USER = "65532:65532";

  private ImageChecks() {
  }

  /** Reads {@code target/<file>}; a missing tar says how it is made rather than failing obscurely. */
  public static ContainerImage readCheckImage(String file) throws IOException {
    Path tar = Path.of("target", file);
    assertTrue(Files.isRegularFile(tar), tar.toAbsolutePath() + " missing: it is made by the jib image-check"
        + " execution in the package phase (run `mvn verify`, not `-DskipTests`)");
    return ContainerImage.read(tar);
  }

  /**
   * @param name   image name (repository shutterbus/name, OCI title)
   * @param main   the class the entrypoint runs: must be in the image and have {@code public static void main}
   * @param ports  exposed ports, e.g. "8080/tcp"
   * @param jars   file name prefixes of jars the classpath layers must hold (the service's own dependencies)
   */
  public static void assertServiceImage(ContainerImage image, String name, Class<?> main, List<String> ports,
                                        List<String> jars) throws Exception {
    String version = image.labels().get("org.opencontainers.image.version");
    assertTrue(version != null && !version.isBlank(), "version label: " + image.labels());
    assertEquals(List.of("shutterbus/" + name + ":" + version), image.repoTags(), "tag from the project version");
    assertFalse(version.equals("latest"), "never latest");
    assertEquals(name, image.labels().get("org.opencontainers.image.title"));
    assertTrue(image.labels().containsKey("org.opencontainers.image.description"), "description label");

    assertEquals(USER, image.runtime().getString("User"), "numeric non-root user");
    assertNotEquals("0", USER.split(":")[0]);
    assertEquals("1970-01-01T00:00:00Z", image.config().getString("created"), "fixed creation time (reproducible)");
    assertEquals(ports, image.exposedPorts(), "exposed ports");
    assertEquals("0.0.0.0", image.env().get("SHUTTERBUS_BIND_HOST"), "binds every interface in a pod");

    List<String> entrypoint = image.entrypoint();
    assertEquals("java", entrypoint.get(0));
    assertTrue(entrypoint.contains("-XX:+ExitOnOutOfMemoryError"), entrypoint.toString());
    assertTrue(entrypoint.stream().anyMatch(a -> a.startsWith("-XX:MaxRAMPercentage=")), entrypoint.toString());
    assertTrue(entrypoint.contains("-Djava.io.tmpdir=/tmp"), "temp files on the /tmp emptyDir: " + entrypoint);
    assertEquals(main.getName(), entrypoint.get(entrypoint.size() - 1), "entrypoint main class");

    Map<String, byte[]> files = image.files();
    String classFile = "app/classes/" + main.getName().replace('.', '/') + ".class";
    assertTrue(image.layer("classes").files().containsKey(classFile), classFile + " in the classes layer");
    Method mainMethod = main.getMethod("main", String[].class);
    assertTrue(Modifier.isStatic(mainMethod.getModifiers()) && Modifier.isPublic(mainMethod.getModifiers()),
        main.getName() + " has public static void main");

    int cp = entrypoint.indexOf("-cp");
    assertTrue(cp > 0, "classpath argument: " + entrypoint);
    String classpathArg = entrypoint.get(cp + 1);
    String classpath = classpathArg.startsWith("@")
        ? new String(files.get(classpathArg.substring(2)), StandardCharsets.UTF_8).trim() : classpathArg;
    List<String> entries = Arrays.asList(classpath.split(":"));
    for (String entry : entries) {
      String path = entry.startsWith("/") ? entry.substring(1) : entry;
      assertTrue(files.containsKey(path) || path.endsWith("/") || path.equals("app/classes")
          || path.equals("app/resources"), "classpath entry " + entry + " is in the image");
    }
    for (String jar : jars) {
      assertTrue(entries.stream().anyMatch(e -> e.startsWith("/app/libs/" + jar) && e.endsWith(".jar")),
          "classpath holds " + jar + "*.jar: " + entries);
    }
  }
}
