package io.shutterbus.testkit.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The public HTTP API's contract, {@code gateway-verticle/openapi.yaml}, as tests use it: its
 * operations, its problem types, and a check of one recorded answer (status documented, required
 * headers present and well-formed, content type listed, JSON body valid against the schema by a
 * JSON Schema 2020-12 validator, problem {@code type} among those the response names).
 */
public final class OpenApiContract {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PROBLEM_BASE = "https://shutterbus.dev/problems/";
  static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

  /** One method on one path template, e.g. GET /api/images/{id}. */
  public record Operation(String method, String template, JsonNode node, JsonNode pathItem) {
    public String key() {
      return method.toUpperCase(Locale.ROOT) + " " + template;
    }
  }

  private final JsonNode doc;
  private final List<Operation> operations = new ArrayList<>();
  private final JsonSchemaFactory schemas = schemaFactory();
  private final Map<JsonNode, JsonSchema> compiled = new IdentityHashMap<>();

  private OpenApiContract(JsonNode doc) {
    this.doc = doc;
    doc.path("paths").fields().forEachRemaining(path -> {
      for (String method : METHODS) {
        if (path.getValue().has(method)) {
          operations.add(new Operation(method, path.getKey(), path.getValue().get(method), path.getValue()));
        }
      }
    });
  }

  /** JSON Schema 2020-12, as OpenAPI 3.1 uses it; "components" is where the spec keeps the schemas refs point to. */
  private static JsonSchemaFactory schemaFactory() {
    JsonMetaSchema dialect = JsonMetaSchema.builder(JsonMetaSchema.getV202012())
        .keyword(new NonValidationKeyword("components")).build();
    return JsonSchemaFactory.builder(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012))
        .metaSchema(dialect).build();
  }

  public static OpenApiContract load(Path yaml) {
    try {
      return new OpenApiContract(YAML.readTree(Files.readString(yaml)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + yaml.toAbsolutePath(), e);
    }
  }

  /** The spec seen from a module's directory (where Maven runs tests): ./ or ../gateway-verticle/. */
  public static OpenApiContract locate() {
    for (Path candidate : List.of(Path.of("openapi.yaml"), Path.of("../gateway-verticle/openapi.yaml"))) {
      if (Files.isRegularFile(candidate) && candidate.toAbsolutePath().normalize().toString()
          .endsWith("gateway-verticle/openapi.yaml")) {
        return load(candidate);
      }
    }
    throw new IllegalStateException("gateway-verticle/openapi.yaml not found from " + Path.of("").toAbsolutePath());
  }

  public JsonNode document() {
    return doc;
  }

  public List<Operation> operations() {
    return List.copyOf(operations);
  }

  /** Every problem type the spec knows, as slugs (the part after https://shutterbus.dev/problems/). */
  public Set<String> problemTypes() {
    Set<String> slugs = new TreeSet<>();
    doc.at("/components/schemas/Problem/properties/type/enum")
        .forEach(uri -> slugs.add(uri.asText().substring(PROBLEM_BASE.length())));
    return slugs;
  }

  /** The operation answering {@code method path} (a concrete path, no query), literal templates first. */
  public Optional<Operation> find(String method, String path) {
    return operations.stream()
        .filter(op -> op.method().equalsIgnoreCase(method) && matches(op.template(), path))
        .min(Comparator.comparingInt(op -> op.template().split("\\{", -1).length));
  }

  /** Whether a concrete path fits a template such as /api/images/{id} (a parameter is one segment). */
  public static boolean matches(String template, String path) {
    String regex = Pattern.quote(template).replaceAll("\\{[^/}]+}", "\\\\E[^/]+\\\\Q");
    return path.matches(regex);
  }

  /**
   * What is wrong with one recorded answer, empty when it keeps the contract.
   *
   * @param headers a header of the answer by name (case-insensitive), null when absent
   */
  public List<String> violations(String method, String path, int status, Function<String, String> headers, String body) {
    List<String> found = new ArrayList<>();
    String what = method + " " + path + " -> " + status;
    Optional<Operation> op = find(method, path);
    if (op.isEmpty()) {
      return List.of(what + ": no operation in the spec");
    }
    JsonNode responses = op.get().node().path("responses");
    JsonNode response = responses.has(Integer.toString(status)) ? responses.get(Integer.toString(status))
        : responses.path(status / 100 + "XX");
    if (response.isMissingNode()) {
      return List.of(what + ": status not documented for " + op.get().key());
    }
    response = resolve(response);
    response.path("headers").fields().forEachRemaining(h -> {
      JsonNode header = resolve(h.getValue());
      String value = headers.apply(h.getKey());
      if (value == null) {
        if (header.path("required").asBoolean(false)) {
          found.add(what + ": required header " + h.getKey() + " missing");
        }
      } else if (header.has("schema")) {
        validate(header.get("schema"), JSON.getNodeFactory().textNode(value))
            .forEach(m -> found.add(what + ": header " + h.getKey() + " '" + value + "' " + m));
      }
    });
    JsonNode content = response.path("content");
    String contentType = headers.apply("content-type");
    if (content.isMissingNode() || content.isEmpty()) {
      if (body != null && !body.isEmpty()) {
        found.add(what + ": the spec documents no body, the answer has " + body.length() + " characters");
      }
      return found;
    }
    String mediaType = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    JsonNode media = content.get(mediaType);
    if (media == null) {
      found.add(what + ": content type '" + contentType + "' not among " + fieldNames(content));
      return found;
    }
    if ((mediaType.equals("application/json") || mediaType.endsWith("+json")) && media.has("schema")) {
      JsonNode json;
      try {
        json = JSON.readTree(body == null ? "" : body);
      } catch (IOException e) {
        found.add(what + ": body is not JSON: " + e.getMessage());
        return found;
      }
      if (json == null || json.isMissingNode()) {
        found.add(what + ": empty body where JSON is documented");
        return found;
      }
      validate(media.get("schema"), json).forEach(m -> found.add(what + ": " + m + " in " + abbreviate(body)));
      JsonNode allowed = response.path("x-problem-types");
      if (mediaType.equals("application/problem+json") && allowed.isArray()) {
        String type = json.path("type").asText();
        boolean listed = false;
        for (JsonNode slug : allowed) {
          listed |= type.equals(PROBLEM_BASE + slug.asText());
        }
        if (!listed) {
          found.add(what + ": problem type " + type + " not among this response's x-problem-types " + allowed);
        }
      }
    }
    return found;
  }

  private List<String> validate(JsonNode schema, JsonNode value) {
    JsonSchema compiledSchema = compiled.computeIfAbsent(schema, s -> {
      // The schema's $refs point into the spec's components: give them a root that has them.
      ObjectNode root = JSON.createObjectNode();
      root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
      root.set("components", doc.get("components"));
      root.putArray("allOf").add(s);
      return schemas.getSchema(root);
    });
    List<String> messages = new ArrayList<>();
    for (ValidationMessage m : compiledSchema.validate(value)) {
      messages.add(m.getMessage());
    }
    return messages;
  }

  /** Follows a local {@code $ref} (e.g. #/components/responses/NotFound) to the node it names. */
  public JsonNode resolve(JsonNode node) {
    while (node.has("$ref")) {
      String ref = node.get("$ref").asText();
      if (!ref.startsWith("#/")) {
        throw new IllegalArgumentException("only local references are used in the spec: " + ref);
      }
      JsonNode target = doc.at(ref.substring(1));
      if (target.isMissingNode()) {
        throw new IllegalArgumentException("dangling reference " + ref);
      }
      node = target;
    }
    return node;
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new LinkedHashSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  private static String abbreviate(String body) {
    return body.length() <= 300 ? body : body.substring(0, 300) + "...";
  }
}
