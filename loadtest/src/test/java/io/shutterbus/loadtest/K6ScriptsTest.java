package io.shutterbus.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The k6 scripts are checked statically here (k6 itself is never installed on the build machines). */
class K6ScriptsTest {
  static final List<String> SCENARIOS = List.of("journey", "browse", "burst");
  static final List<String> FILES = List.of("journey.js", "browse.js", "burst.js", "shutterbus.js", "png.js");
  private final Path k6 = Paths.module().resolve("k6");

  @Test
  void theScriptsTypeCheckAgainstTheK6Types() throws Exception {
    Processes.require("npm", "npm");
    Processes.Done install = Processes.run(k6, 300, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
    assertEquals(0, install.exitCode(), "npm ci in loadtest/k6 failed:\n" + install.output());
    Processes.Done tsc = Processes.run(k6, 300, "npx", "--no-install", "tsc", "-p", "tsconfig.json");
    assertEquals(0, tsc.exitCode(), "tsc --allowJs --checkJs --noEmit against @types/k6 found errors:\n" + tsc.output());
  }

  @Test
  void everyThresholdNamesAMetricOrRequestTagTheScriptEmits() {
    for (String scenario : SCENARIOS) {
      Path script = k6.resolve(scenario + ".js");
      Map<String, K6Scripts.Threshold> thresholds = K6Scripts.thresholds(readString(script));
      assertFalse(thresholds.isEmpty(), scenario + " declares no thresholds");
      assertEquals(List.of(), K6Scripts.unsound(thresholds, K6Scripts.withImports(script)),
          scenario + ".js has thresholds on metrics or request names it never emits");
    }
  }

  @Test
  void aThresholdOnARequestNameNobodyTagsIsCaught() {
    String script = """
        import http from 'k6/http';
        export const options = {
          thresholds: {
            'http_req_duration{name:login}': ['p(95)<300'],
            'http_req_duration{name:logni}': ['p(95)<300'],
            acepted_to_ready: ['p(95)<5000'],
          },
        };
        export default function () { http.post('/api/auth/login', null, { tags: { name: 'login' } }); }
        """;
    assertEquals(List.of("http_req_duration{name:logni}", "acepted_to_ready"),
        K6Scripts.unsound(K6Scripts.thresholds(script), script));
  }

  @Test
  void theKustomizeComponentCarriesTheSameScripts() {
    Path component = Paths.repository().resolve("manifests/components/k6/scripts");
    for (String file : FILES) {
      assertTrue(Files.exists(component.resolve(file)), "manifests/components/k6/scripts/" + file
          + " is missing: run loadtest/k6/sync-component");
      assertEquals(readString(k6.resolve(file)), readString(component.resolve(file)),
          file + " differs between loadtest/k6 and the component: run loadtest/k6/sync-component");
    }
  }

  static String readString(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
