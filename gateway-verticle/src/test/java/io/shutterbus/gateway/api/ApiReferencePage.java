package io.shutterbus.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.shutterbus.testkit.api.OpenApiContract;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders openapi.yaml as one plain HTML page for people ({@code gateway-verticle/openapi.html},
 * served at /api/docs): no script, no inline style, nothing from another origin, so it passes the
 * gateway's CSP as it is. Deterministic, so a test can tell when the committed page is stale.
 */
final class ApiReferencePage {
  private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final OpenApiContract contract;
  private final JsonNode doc;
  private final StringBuilder out = new StringBuilder();

  ApiReferencePage(OpenApiContract contract) {
    this.contract = contract;
    this.doc = contract.document();
  }

  String render() {
    JsonNode info = doc.path("info");
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(esc(info.path("title").asText())).append("</title>\n</head>\n<body>\n")
        .append("<!-- Generated from gateway-verticle/openapi.yaml by ApiReferencePageTest; do not edit. -->\n")
        .append("<h1>").append(esc(info.path("title").asText())).append(" ")
        .append(esc(info.path("version").asText())).append("</h1>\n");
    text(info.path("description").asText());
    out.append("<p>Machine-readable: <a href=\"/api/openapi.yaml\">/api/openapi.yaml</a> (OpenAPI ")
        .append(esc(doc.path("openapi").asText())).append(").</p>\n");
    Map<String, List<OpenApiContract.Operation>> byTag = new LinkedHashMap<>();
    doc.path("tags").forEach(t -> byTag.put(t.path("name").asText(), new ArrayList<>()));
    contract.operations().forEach(op -> byTag.computeIfAbsent(op.node().path("tags").path(0).asText("other"),
        k -> new ArrayList<>()).add(op));
    out.append("<nav>\n<ul>\n");
    byTag.forEach((tag, ops) -> {
      for (OpenApiContract.Operation op : ops) {
        out.append("<li><a href=\"#").append(anchor(op)).append("\">").append(esc(op.key())).append("</a> ")
            .append(esc(op.node().path("summary").asText())).append("</li>\n");
      }
    });
    out.append("</ul>\n</nav>\n");
    byTag.forEach((tag, ops) -> {
      if (ops.isEmpty()) {
        return;
      }
      out.append("<section>\n<h2>").append(esc(tag)).append("</h2>\n");
      ops.forEach(this::operation);
      out.append("</section>\n");
    });
    out.append("<section>\n<h2>Security schemes</h2>\n<dl>\n");
    doc.path("components").path("securitySchemes").fields().forEachRemaining(s -> out.append("<dt>")
        .append(esc(s.getKey())).append("</dt>\n<dd>").append(esc(s.getValue().path("description").asText()))
        .append("</dd>\n"));
    out.append("</dl>\n</section>\n<section>\n<h2>Schemas</h2>\n");
    doc.path("components").path("schemas").fields().forEachRemaining(s -> out.append("<h3 id=\"schema-")
        .append(esc(s.getKey())).append("\">").append(esc(s.getKey())).append("</h3>\n<pre>")
        .append(esc(pretty(s.getValue()))).append("</pre>\n"));
    out.append("</section>\n</body>\n</html>\n");
    return out.toString();
  }

  private void operation(OpenApiContract.Operation op) {
    JsonNode node = op.node();
    out.append("<article id=\"").append(anchor(op)).append("\">\n<h3><code>").append(esc(op.key()))
        .append("</code></h3>\n<p><strong>").append(esc(node.path("summary").asText())).append("</strong></p>\n");
    text(node.path("description").asText());
    JsonNode security = node.has("security") ? node.get("security") : doc.path("security");
    List<String> schemes = new ArrayList<>();
    security.forEach(requirement -> {
      if (requirement.isEmpty()) {
        schemes.add("none");
      }
      requirement.fields().forEachRemaining(f -> schemes.add(f.getKey()
          + (f.getValue().isEmpty() ? "" : " (role " + f.getValue().path(0).asText() + ")")));
    });
    out.append("<p>Security: ").append(esc(schemes.isEmpty() ? "none" : String.join(" or ", schemes))).append("</p>\n");
    List<JsonNode> parameters = new ArrayList<>();
    op.pathItem().path("parameters").forEach(p -> parameters.add(contract.resolve(p)));
    node.path("parameters").forEach(p -> parameters.add(contract.resolve(p)));
    if (!parameters.isEmpty()) {
      out.append("<table>\n<tr><th>parameter</th><th>in</th><th>schema</th><th>meaning</th></tr>\n");
      for (JsonNode p : parameters) {
        out.append("<tr><td><code>").append(esc(p.path("name").asText())).append("</code>")
            .append(p.path("required").asBoolean() ? " (required)" : "").append("</td><td>")
            .append(esc(p.path("in").asText())).append("</td><td><code>").append(esc(p.path("schema").toString()))
            .append("</code></td><td>").append(esc(p.path("description").asText())).append("</td></tr>\n");
      }
      out.append("</table>\n");
    }
    JsonNode body = node.path("requestBody");
    if (!body.isMissingNode()) {
      out.append("<p>Request body").append(body.path("required").asBoolean() ? " (required)" : "").append(": ");
      body.path("content").fields().forEachRemaining(c -> out.append("<code>").append(esc(c.getKey()))
          .append("</code> ").append(schemaName(c.getValue().path("schema"))).append(" "));
      out.append(esc(body.path("description").asText())).append("</p>\n");
    }
    out.append("<table>\n<tr><th>status</th><th>meaning</th><th>problem types</th><th>headers</th><th>body</th></tr>\n");
    node.path("responses").fields().forEachRemaining(r -> {
      JsonNode response = contract.resolve(r.getValue());
      List<String> types = new ArrayList<>();
      response.path("x-problem-types").forEach(t -> types.add(t.asText()));
      List<String> headers = new ArrayList<>(iterable(response.path("headers").fieldNames()));
      StringBuilder content = new StringBuilder();
      response.path("content").fields().forEachRemaining(c -> content.append("<code>").append(esc(c.getKey()))
          .append("</code> ").append(schemaName(c.getValue().path("schema"))).append(" "));
      out.append("<tr><td>").append(esc(r.getKey())).append("</td><td>").append(esc(response.path("description").asText()))
          .append("</td><td>").append(esc(String.join(", ", types))).append("</td><td>")
          .append(esc(String.join(", ", headers))).append("</td><td>").append(content.toString().trim())
          .append("</td></tr>\n");
    });
    out.append("</table>\n</article>\n");
  }

  private static String schemaName(JsonNode schema) {
    String ref = schema.path("$ref").asText("");
    if (ref.startsWith("#/components/schemas/")) {
      String name = ref.substring("#/components/schemas/".length());
      return "<a href=\"#schema-" + esc(name) + "\">" + esc(name) + "</a>";
    }
    return schema.isMissingNode() ? "" : "<code>" + esc(schema.toString()) + "</code>";
  }

  /** Paragraphs and "- " lists of the spec's Markdown, with `code`; nothing else is interpreted. */
  private void text(String markdown) {
    if (markdown.isBlank()) {
      return;
    }
    boolean inList = false;
    for (String block : markdown.strip().split("\n\\s*\n")) {
      for (String line : block.split("\n(?=- )")) {
        boolean item = line.startsWith("- ");
        if (item && !inList) {
          out.append("<ul>\n");
        } else if (!item && inList) {
          out.append("</ul>\n");
        }
        inList = item;
        String html = esc(item ? line.substring(2) : line).replaceAll("`([^`]+)`", "<code>$1</code>")
            .replace("\n", " ");
        out.append(item ? "<li>" : "<p>").append(html).append(item ? "</li>\n" : "</p>\n");
      }
      if (inList) {
        out.append("</ul>\n");
        inList = false;
      }
    }
  }

  private static String anchor(OpenApiContract.Operation op) {
    return op.node().path("operationId").asText(op.key().replaceAll("[^A-Za-z0-9]+", "-"));
  }

  private static String pretty(JsonNode node) {
    try {
      return PRETTY.writeValueAsString(node);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> list = new ArrayList<>();
    it.forEachRemaining(list::add);
    return list;
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
