package io.shutterbus.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shutterbus.testkit.manifests.Kustomize;
import io.shutterbus.testkit.manifests.Rendered;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * manifests/README.md says what the manifests do, command by command: the environment table, the
 * overlays and secrets.sh steps it names, the image tars and tags, the event CLI pod and the
 * scaling figures are checked against the rendered overlay and the build, so the docs cannot drift.
 */
class ReadmeTest {
  private static final Path REPO = Kustomize.sourceDir().getParent();
  private static final Pattern VARIABLE = Pattern.compile("`([A-Z][A-Z0-9_]+)(?:=([^`]*))?`");

  private static String read(String path) throws IOException {
    return Files.readString(REPO.resolve(path));
  }

  /** The rows of the "Environment of each service" table: service -> variable -> documented value (or null). */
  private static Map<String, Map<String, String>> environmentTable() throws IOException {
    String readme = read("manifests/README.md");
    int from = readme.indexOf("## Environment of each service");
    assertTrue(from >= 0, "manifests/README.md has no section 'Environment of each service'");
    String section = readme.substring(from, readme.indexOf("\n## ", from + 3));
    Map<String, Map<String, String>> table = new TreeMap<>();
    for (String line : section.lines().toList()) {
      String[] cells = line.split("\\|");
      if (cells.length < 4 || cells[1].isBlank() || cells[1].contains("---") || cells[1].trim().equals("service")) {
        continue;
      }
      for (String service : cells[1].split(",")) {
        Map<String, String> vars = table.computeIfAbsent(service.trim(), s -> new LinkedHashMap<>());
        Matcher m = VARIABLE.matcher(cells[2]);
        while (m.find()) {
          vars.put(m.group(1), m.group(2));
        }
      }
    }
    return table;
  }

  @Test
  void theEnvironmentTableIsExactlyWhatTheOverlayGivesEachService() throws IOException {
    Rendered r = Kustomize.minikube();
    Map<String, Map<String, String>> table = environmentTable();
    List<String> deployments = r.kind("Deployment").stream().map(Rendered::name).sorted().toList();
    assertEquals(deployments, List.copyOf(new TreeSet<>(table.keySet())), "one set of rows per Deployment");
    List<String> wrong = new ArrayList<>();
    for (String service : deployments) {
      Map<String, String> rendered = r.env(r.get("Deployment", service), service);
      Map<String, String> documented = table.get(service);
      for (String name : rendered.keySet()) {
        if (!documented.containsKey(name)) {
          wrong.add(service + ": " + name + " is set by the manifests but not in the table");
        }
      }
      documented.forEach((name, value) -> {
        if (!rendered.containsKey(name)) {
          wrong.add(service + ": " + name + " is in the table but not set by the manifests");
        } else if (value != null && !value.equals(rendered.get(name))) {
          wrong.add(service + ": the table says " + name + "=" + value + ", the manifests " + rendered.get(name));
        }
      });
    }
    assertEquals(List.of(), wrong);
  }

  @Test
  void everyOverlayTheDocsApplyExistsAndEverySecretsStepIsOne() throws IOException {
    String script = read("manifests/secrets.sh");
    List<String> wrong = new ArrayList<>();
    int applies = 0;
    for (String doc : List.of("manifests/README.md", "loadtest/README.md", "README.md")) {
      String text = read(doc);
      Matcher k = Pattern.compile("kubectl (?:apply|delete) -k (\\S+)").matcher(text);
      while (k.find()) {
        applies++;
        String dir = k.group(1).replaceAll("[`)]+$", "");
        if (!dir.startsWith("<") && !Files.isRegularFile(REPO.resolve(dir).resolve("kustomization.yaml"))) {
          wrong.add(doc + ": kubectl -k " + dir + " has no kustomization.yaml");
        }
      }
      Matcher s = Pattern.compile("manifests/secrets\\.sh (--[a-z-]+)").matcher(text);
      while (s.find()) {
        if (!script.contains(s.group(1) + "|") && !script.contains("|" + s.group(1) + ")")) {
          wrong.add(doc + ": secrets.sh has no option " + s.group(1));
        }
      }
    }
    assertTrue(applies >= 5, "kubectl -k commands found: " + applies);
    assertEquals(List.of(), wrong);
  }

  @Test
  void theImageTarsAndTagsAreTheOnesTheBuildMakes() throws IOException {
    String readme = read("manifests/README.md");
    Matcher tar = Pattern.compile("([a-z-]+)/target/(jib-image[a-z-]*)\\.tar").matcher(readme);
    List<String> modules = new ArrayList<>();
    while (tar.find()) {
      String pom = read(tar.group(1) + "/pom.xml");
      assertTrue(pom.contains("jib-maven-plugin"), tar.group(1) + " builds no image");
      if (!tar.group(2).equals("jib-image")) {
        assertTrue(pom.contains("${project.build.directory}/" + tar.group(2) + ".tar"), tar.group() + " is not written by "
            + tar.group(1) + "/pom.xml");
      }
      modules.add(tar.group(1) + "/" + tar.group(2));
    }
    assertTrue(modules.containsAll(List.of("gateway-verticle/jib-image", "auth-verticle/jib-image", "image-verticle/jib-image",
        "image-verticle/jib-image-worker", "portal/jib-image", "events/jib-image")), "every image is loaded: " + modules);
    Matcher tag = Pattern.compile("shutterbus/[a-z,{}-]+:([0-9A-Za-z.-]+)").matcher(readme);
    int tags = 0;
    while (tag.find()) {
      tags++;
      assertEquals(PolicyTest.projectVersion(), tag.group(1), tag.group());
    }
    assertTrue(tags >= 2, "image tags named: " + tags);
  }

  @Test
  void theEventCliPodMeetsTheRestrictedLevelAndItsNetworkPolicy() throws IOException {
    String readme = read("manifests/README.md");
    Matcher m = Pattern.compile("kubectl -n shutterbus run events (.*?)\\n  -- ", Pattern.DOTALL).matcher(readme);
    assertTrue(m.find(), "the kubectl run command");
    String command = m.group(1);
    assertTrue(command.contains("--override-type=strategic"), "a JSON merge would replace the container list");
    Matcher o = Pattern.compile("--overrides='([^']+)'").matcher(command);
    assertTrue(o.find(), command);
    JsonNode spec = new ObjectMapper().readTree(o.group(1)).path("spec");
    JsonNode pod = spec.path("securityContext");
    JsonNode container = spec.path("containers").get(0);
    assertEquals("events", container.path("name").asText(), "merged into the container kubectl run makes");
    assertTrue(pod.path("runAsNonRoot").asBoolean() && pod.path("runAsUser").asInt() > 0);
    assertEquals("RuntimeDefault", pod.path("seccompProfile").path("type").asText());
    assertFalse(container.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true));
    assertEquals("[\"ALL\"]", container.path("securityContext").path("capabilities").path("drop").toString());
    assertEquals("restricted", Kustomize.minikube().get("Namespace", "shutterbus").path("metadata").path("labels")
        .path("pod-security.kubernetes.io/enforce").asText());

    Matcher label = Pattern.compile("--labels=([a-z./]+)=([a-z-]+)").matcher(command);
    assertTrue(label.find(), command);
    JsonNode selector = Kustomize.minikube().get("NetworkPolicy", "events-cli").path("spec").path("podSelector")
        .path("matchLabels");
    assertEquals(label.group(2), selector.path(label.group(1)).asText(), "the label the events-cli policy admits");
    Matcher bootstrap = Pattern.compile("KAFKA_BOOTSTRAP_SERVERS=(\\S+)").matcher(command);
    assertTrue(bootstrap.find());
    assertEquals(Kustomize.minikube().data("ConfigMap", "kafka-connection").get("KAFKA_BOOTSTRAP_SERVERS"), bootstrap.group(1));
  }

  @Test
  void theScalingFiguresAreTheRenderedOnes() throws IOException {
    String readme = read("manifests/README.md");
    Rendered r = Kustomize.minikube();
    for (String hpa : List.of("gateway", "image", "image-worker")) {
      JsonNode spec = r.get("HorizontalPodAutoscaler", hpa).path("spec");
      String range = hpa + " " + spec.path("minReplicas").asInt() + "-" + spec.path("maxReplicas").asInt();
      assertTrue(readme.contains(range), "the README's HPA ranges lack '" + range + "'");
    }
    int max = r.get("HorizontalPodAutoscaler", "image-worker").path("spec").path("maxReplicas").asInt();
    String parallelism = r.env(r.get("Deployment", "image-worker"), "image-worker").get("IMAGE_WORKER_PARALLELISM");
    String partitions = r.data("ConfigMap", "kafka-topics").get("KAFKA_TOPIC_PARTITIONS");
    String claim = "(" + max + " × " + parallelism + " ≤ " + partitions + " here)";
    assertTrue(readme.contains(claim), "the README's worker ceiling should read " + claim);
  }
}
