package io.shutterbus.manifests;

/** Kubernetes resource quantities, enough of them to compare requests with limits. */
final class Quantities {
  private Quantities() {
  }

  static long bytes(String q) {
    String[][] units = {{"Ki", "1024"}, {"Mi", "1048576"}, {"Gi", "1073741824"}, {"k", "1000"}, {"M", "1000000"},
        {"G", "1000000000"}};
    for (String[] u : units) {
      if (q.endsWith(u[0])) {
        return Long.parseLong(q.substring(0, q.length() - u[0].length())) * Long.parseLong(u[1]);
      }
    }
    return Long.parseLong(q);
  }

  static long millicores(String q) {
    return q.endsWith("m") ? Long.parseLong(q.substring(0, q.length() - 1)) : Math.round(Double.parseDouble(q) * 1000);
  }
}
