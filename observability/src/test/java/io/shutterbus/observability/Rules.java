package io.shutterbus.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/** The Prometheus rule files and promtool test files of this folder, read as YAML. */
final class Rules {
  static final Path PROMETHEUS = Path.of("prometheus");
  static final Path RULES = PROMETHEUS.resolve("rules");
  static final Path TESTS = PROMETHEUS.resolve("tests");

  record Rule(Path file, String name, boolean alert, String expr, Map<String, Object> labels,
              Map<String, Object> annotations) {
  }

  private Rules() {
  }

  static List<Path> files(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> yaml(Path file) {
    try {
      return new Yaml().load(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static List<Rule> all() {
    List<Rule> rules = new ArrayList<>();
    for (Path file : files(RULES)) {
      for (Map<String, Object> group : (List<Map<String, Object>>) yaml(file).get("groups")) {
        for (Map<String, Object> r : (List<Map<String, Object>>) group.get("rules")) {
          boolean alert = r.containsKey("alert");
          rules.add(new Rule(file, (String) (alert ? r.get("alert") : r.get("record")), alert,
              String.valueOf(r.get("expr")), (Map<String, Object>) r.getOrDefault("labels", Map.of()),
              (Map<String, Object>) r.getOrDefault("annotations", Map.of())));
        }
      }
    }
    return rules;
  }
}
