package io.shutterbus.loadtest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The thresholds tables of loadtest/scenarios.md, the one list k6 and Gatling both follow. */
final class ScenarioDocument {
  /** Everything a scenario is held to, in one comparable shape. */
  record Limits(Map<String, List<Integer>> latency, double maxFailedShare, Integer acceptedToReadyP95) {
  }

  private ScenarioDocument() {
  }

  static Map<String, Limits> read(Path doc) {
    Map<String, Map<String, List<Integer>>> latency = new TreeMap<>();
    Map<String, Limits> out = new TreeMap<>();
    List<List<String>> table = new ArrayList<>();
    List<String> header = null;
    for (String line : (K6ScriptsTest.readString(doc) + "\n").split("\n")) {
      if (line.startsWith("|")) {
        List<String> cells = List.of(line.substring(1, line.length() - 1).split("\\|")).stream().map(String::trim).toList();
        if (header == null) {
          header = cells;
        } else if (!cells.get(0).startsWith("---")) {
          table.add(cells);
        }
        continue;
      }
      if (header != null && header.get(1).equals("request")) {
        for (List<String> row : table) {
          latency.computeIfAbsent(row.get(0), k -> new TreeMap<>())
              .put(row.get(1), List.of(Integer.parseInt(row.get(2)), Integer.parseInt(row.get(3))));
        }
      } else if (header != null && header.get(1).equals("max error rate")) {
        for (List<String> row : table) {
          out.put(row.get(0), new Limits(latency.getOrDefault(row.get(0), Map.of()), Double.parseDouble(row.get(1)),
              row.get(2).equals("-") ? null : Integer.parseInt(row.get(2))));
        }
      }
      header = null;
      table = new ArrayList<>();
    }
    return out;
  }
}
