package io.shutterbus.testkit.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Renders the kustomize tree under {@code manifests/} with {@code kubectl kustomize}, offline.
 * Works on a private copy with fresh secrets from {@code manifests/secrets.sh}, so tests never
 * write into the source tree and never need the developer's own (git-ignored) secrets.
 */
public final class Kustomize {
  public static final ObjectMapper YAML = new YAMLMapper();
  private static Path workspace;

  private Kustomize() {
  }

  /** The repository's manifests folder, found from the working directory upwards. */
  public static Path sourceDir() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("manifests/base/kustomization.yaml"))) {
        return dir.resolve("manifests");
      }
    }
    throw new IllegalStateException("no manifests/base/kustomization.yaml above " + Path.of("").toAbsolutePath());
  }

  /** Fails loudly (never skips) when kubectl is missing: .ci/run installs it. */
  public static void requireKubectl() {
    try {
      Process p = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError("`kubectl version --client` failed: " + new String(p.getInputStream().readAllBytes()));
      }
    } catch (IOException e) {
      throw new AssertionError("kubectl (v1.27+, with kustomize) is required to render the manifests; "
          + ".ci/run installs it (Debian package kubernetes-client or the kubectl binary): " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A copy of manifests/ with secrets generated into overlays/minikube/secrets by secrets.sh. */
  public static synchronized Path workspace() {
    if (workspace == null) {
      try {
        Path copy = Files.createTempDirectory("shutterbus-manifests-");
        copyTree(sourceDir(), copy, false);
        run(copy, List.of("bash", copy.resolve("secrets.sh").toString(),
            copy.resolve("overlays/minikube/secrets").toString()));
        workspace = copy;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return workspace;
  }

  /** The base alone. */
  public static Rendered base() {
    return render(workspace().resolve("base"));
  }

  /**
   * The minikube overlay with exactly {@code components} (names under components/) instead of the
   * ones its kustomization lists: a sibling copy of the overlay, so relative paths stay valid.
   */
  public static Rendered minikube(List<String> components) {
    try {
      Path overlay = workspace().resolve("overlays/minikube");
      Path variant = workspace().resolve("overlays/minikube-" + (components.isEmpty() ? "plain"
          : String.join("-", components)));
      if (!Files.exists(variant)) {
        copyTree(overlay, variant, true);
        ObjectNode kustomization = (ObjectNode) YAML.readTree(overlay.resolve("kustomization.yaml").toFile());
        ArrayNode list = kustomization.putArray("components");
        components.forEach(c -> list.add("../../components/" + c));
        YAML.writeValue(variant.resolve("kustomization.yaml").toFile(), kustomization);
      }
      return render(variant);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The minikube overlay exactly as users apply it. */
  public static Rendered minikube() {
    return render(workspace().resolve("overlays/minikube"));
  }

  public static Rendered render(Path kustomization) {
    requireKubectl();
    String yaml = run(kustomization, List.of("kubectl", "kustomize", kustomization.toString()));
    List<JsonNode> objects = new ArrayList<>();
    try (var parser = new YAMLFactory().createParser(yaml)) {
      var docs = YAML.readValues(parser, JsonNode.class);
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc != null && !doc.isNull() && !doc.isEmpty()) {
          objects.add(doc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Rendered(kustomization.getFileName().toString(), yaml, objects);
  }

  static String run(Path dir, List<String> command) {
    try {
      Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false).start();
      byte[] out = p.getInputStream().readAllBytes();
      byte[] err = p.getErrorStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError(String.join(" ", command) + " failed: " + new String(err, StandardCharsets.UTF_8));
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void copyTree(Path from, Path to, boolean withSecrets) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.sorted(Comparator.naturalOrder()).toList()) {
        Path rel = from.relativize(p);
        boolean secret = rel.toString().contains("secrets/") || rel.endsWith("secrets");
        if (rel.startsWith("target") || rel.startsWith("src") || (secret && !withSecrets)) {
          continue;
        }
        Path dest = to.resolve(rel.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest);
        }
      }
    }
  }
}
