package io.shutterbus.gateway.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The routes the auth and image services register, as "METHOD /path" (":id" parameters, "/x/*"
 * prefixes), read from their sources: the gateway forwards whole prefixes to them, so the spec's
 * paths under a prefix must be theirs. Read from source because their routers need a database to
 * start; the patterns are the only two shapes the services use (a new shape fails
 * {@link #scan()}'s sanity check, not silently).
 */
final class UpstreamRoutes {
  /** auth, image, and service-kit's {@code UploadServing}, which the image service mounts for {@code /uploads}. */
  static final List<Path> SOURCES = List.of(Path.of("../auth-verticle/src/main/java"), Path.of("../image-verticle/src/main/java"),
      Path.of("../service-kit/src/main/java/io/shutterbus/kit/uploads"));
  private static final Pattern SIMPLE = Pattern.compile("router\\.(get|post|put|delete|patch)\\(\"([^\"]+)\"\\)");
  private static final Pattern PREFIXED = Pattern.compile(
      "router\\.route\\(PREFIX \\+ \"\\*\"\\)((?:\\.method\\(HttpMethod\\.[A-Z]+\\))+)");
  private static final Pattern PREFIX = Pattern.compile("String PREFIX = \"([^\"]+)\"");
  private static final Pattern METHOD = Pattern.compile("HttpMethod\\.([A-Z]+)");

  private UpstreamRoutes() {
  }

  static Set<String> scan() throws IOException {
    Set<String> routes = new TreeSet<>();
    for (Path dir : SOURCES) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          String source = Files.readString(file);
          Matcher m = SIMPLE.matcher(source);
          while (m.find()) {
            routes.add(m.group(1).toUpperCase() + " " + m.group(2));
          }
          Matcher p = PREFIXED.matcher(source);
          while (p.find()) {
            Matcher prefix = PREFIX.matcher(source);
            if (!prefix.find()) {
              throw new IllegalStateException(file + " routes PREFIX + \"*\" without a PREFIX constant");
            }
            Matcher method = METHOD.matcher(p.group(1));
            while (method.find()) {
              routes.add(method.group(1) + " " + prefix.group(1) + "*");
            }
          }
          if (source.contains("router.route(") && !PREFIXED.matcher(source).find()) {
            throw new IllegalStateException(file + " registers a route in a shape UpstreamRoutes cannot read: teach it");
          }
        }
      }
    }
    if (!routes.contains("POST /api/auth/login") || !routes.contains("GET /api/images/:id")) {
      throw new IllegalStateException("the route scan found too little, the sources moved? " + routes);
    }
    return routes;
  }

  /** Whether the upstream route "METHOD /path" serves {@code method template} of the spec. */
  static boolean covers(String route, String method, String template) {
    String routeMethod = route.substring(0, route.indexOf(' '));
    String path = route.substring(route.indexOf(' ') + 1).replaceAll(":([A-Za-z]+)", "{$1}");
    if (!routeMethod.equalsIgnoreCase(method)) {
      return false;
    }
    return path.endsWith("*") ? template.startsWith(path.substring(0, path.length() - 1)) : path.equals(template);
  }
}
