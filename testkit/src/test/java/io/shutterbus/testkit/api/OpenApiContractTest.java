package io.shutterbus.testkit.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The checker catches what it is for: each case breaks the contract in one way and must be reported. */
class OpenApiContractTest {
  static final OpenApiContract CONTRACT = OpenApiContract.locate();
  static final String PROFILE = """
      {"id":"5f0c6a57-8a31-4c3e-9b8e-0d1f2a3b4c5d","email":"ada@example.com","name":"Ada","avatarUrl":null,
       "createdAt":"2026-11-29T10:00:00.123456Z","imageCount":0,"roles":["user"]}""";

  static Function<String, String> headers(String... pairs) {
    Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map::get;
  }

  static final Function<String, String> JSON = headers("content-type", "application/json",
      "cache-control", "no-store", "x-request-id", "abc-1");

  @Test
  void aValidAnswerPasses() {
    assertEquals(List.of(), CONTRACT.violations("GET", "/api/me", 200, JSON, PROFILE));
  }

  @Test
  void aBodyOffItsSchemaIsReported() {
    String noRoles = PROFILE.replace(",\"roles\":[\"user\"]", "");
    List<String> v = CONTRACT.violations("GET", "/api/me", 200, JSON, noRoles);
    assertEquals(1, v.size(), v.toString());
    assertTrue(v.get(0).contains("roles"), v.toString());
    assertFalse(CONTRACT.violations("GET", "/api/me", 200, JSON, PROFILE.replace("\"Ada\"", "7")).isEmpty());
    assertFalse(CONTRACT.violations("GET", "/api/me", 200, JSON, PROFILE.replace("}", ",\"secret\":1}")).isEmpty());
  }

  @Test
  void aMissingHeaderAnUndocumentedStatusAndAWrongProblemTypeAreReported() {
    assertFalse(CONTRACT.violations("GET", "/api/me", 200,
        headers("content-type", "application/json", "x-request-id", "a"), PROFILE).isEmpty(), "no Cache-Control");
    assertFalse(CONTRACT.violations("GET", "/api/me", 418, JSON, PROFILE).isEmpty());
    String problem = """
        {"type":"https://shutterbus.dev/problems/%s","title":"Not Found","status":404,"detail":"No.",
         "instance":"/api/images/x","requestId":"r1"}""";
    Function<String, String> h = headers("content-type", "application/problem+json", "x-request-id", "r1");
    assertEquals(List.of(), CONTRACT.violations("GET", "/api/images/x", 404, h, problem.formatted("not-found")));
    assertFalse(CONTRACT.violations("GET", "/api/images/x", 404, h, problem.formatted("email-taken")).isEmpty());
    assertFalse(CONTRACT.violations("GET", "/api/images/x", 404, h, problem.formatted("no-such-type")).isEmpty());
  }

  @Test
  void pathsMatchTheirTemplatesOneSegmentPerParameter() {
    assertTrue(OpenApiContract.matches("/api/images/{id}", "/api/images/42"));
    assertFalse(OpenApiContract.matches("/api/images/{id}", "/api/images/42/reprocess"));
    assertEquals("/api/images/{id}/reprocess", CONTRACT.find("POST", "/api/images/42/reprocess").orElseThrow().template());
    assertTrue(CONTRACT.find("PUT", "/api/images/42").isEmpty());
  }
}
