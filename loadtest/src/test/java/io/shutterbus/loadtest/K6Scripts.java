package io.shutterbus.loadtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a k6 script declares (thresholds) and emits (request name tags, custom metrics), read from its text. */
final class K6Scripts {
  /** Metrics k6 itself emits for HTTP scripts (k6 docs, "Built-in metrics"). */
  static final Set<String> BUILT_IN = Set.of("http_reqs", "http_req_duration", "http_req_failed", "http_req_blocked",
      "http_req_connecting", "http_req_tls_handshaking", "http_req_sending", "http_req_waiting", "http_req_receiving",
      "checks", "iterations", "iteration_duration", "vus", "vus_max", "data_sent", "data_received", "dropped_iterations");
  private static final Pattern THRESHOLDS = Pattern.compile("thresholds:\\s*\\{(.*?)\\n\\s*\\},", Pattern.DOTALL);
  private static final Pattern ENTRY = Pattern.compile("^\\s*'?([a-z_]+)(?:\\{([a-z_]+):([a-z_]+)\\})?'?:\\s*\\[([^\\]]*)\\]",
      Pattern.MULTILINE);
  private static final Pattern IMPORT = Pattern.compile("from '\\./([a-z_]+\\.js)'");
  private static final Pattern NAME_TAG = Pattern.compile("name: '([a-z_]+)'");
  private static final Pattern NAME_ARGUMENT = Pattern.compile("gallery\\([^,]+,\\s*'([a-z_]+)'");
  private static final Pattern CUSTOM_METRIC = Pattern.compile("new (?:Trend|Counter|Rate|Gauge)\\('([a-z_]+)'");

  /** One threshold: metric, optional tag filter, and its conditions as written ("p(95)<300"). */
  record Threshold(String metric, String tag, String tagValue, List<String> conditions) {
  }

  private K6Scripts() {
  }

  static Map<String, Threshold> thresholds(String script) {
    Matcher block = THRESHOLDS.matcher(script);
    if (!block.find()) {
      throw new AssertionError("no thresholds block in the script");
    }
    Map<String, Threshold> out = new LinkedHashMap<>();
    Matcher m = ENTRY.matcher(block.group(1));
    while (m.find()) {
      List<String> conditions = Pattern.compile("'([^']+)'").matcher(m.group(4)).results().map(r -> r.group(1)).toList();
      String key = m.group(1) + (m.group(2) == null ? "" : "{" + m.group(2) + ":" + m.group(3) + "}");
      out.put(key, new Threshold(m.group(1), m.group(2), m.group(3), conditions));
    }
    return out;
  }

  /** The script and every file it imports from the same directory, as one text. */
  static String withImports(Path script) {
    StringBuilder all = new StringBuilder();
    Set<Path> seen = new LinkedHashSet<>();
    collect(script, all, seen);
    return all.toString();
  }

  private static void collect(Path file, StringBuilder all, Set<Path> seen) {
    if (!seen.add(file)) {
      return;
    }
    try {
      String text = Files.readString(file);
      all.append(text).append('\n');
      Matcher m = IMPORT.matcher(text);
      while (m.find()) {
        collect(file.resolveSibling(m.group(1)), all, seen);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Set<String> emittedNames(String code) {
    Set<String> names = new LinkedHashSet<>();
    NAME_TAG.matcher(code).results().forEach(r -> names.add(r.group(1)));
    NAME_ARGUMENT.matcher(code).results().forEach(r -> names.add(r.group(1)));
    return names;
  }

  static Set<String> customMetrics(String code) {
    Set<String> names = new LinkedHashSet<>();
    CUSTOM_METRIC.matcher(code).results().forEach(r -> names.add(r.group(1)));
    return names;
  }

  /** Thresholds that name a metric the script does not emit or a request name it never tags: empty when sound. */
  static List<String> unsound(Map<String, Threshold> thresholds, String code) {
    Set<String> metrics = new LinkedHashSet<>(BUILT_IN);
    metrics.addAll(customMetrics(code));
    Set<String> names = emittedNames(code);
    return thresholds.entrySet().stream()
        .filter(e -> !metrics.contains(e.getValue().metric())
            || e.getValue().tag() != null && !("name".equals(e.getValue().tag()) && names.contains(e.getValue().tagValue())))
        .map(Map.Entry::getKey)
        .toList();
  }
}
