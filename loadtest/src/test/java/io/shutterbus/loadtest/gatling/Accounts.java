package io.shutterbus.loadtest.gatling;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Accounts and ready images made before a simulation starts (its before() hook), outside the measurements. */
final class Accounts {
  /** A signed-in account and the public paths of its ready images' originals. */
  record Account(String token, List<String> originals) {
  }

  private static final Pattern TOKEN = Pattern.compile("\"accessToken\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern URL = Pattern.compile("\"url\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([^\"]+)\"");
  // HTTP/1.1 as browsers speak it in clear text: the JDK client would otherwise try an h2c upgrade
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;

  Accounts(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  Account create(int readyImages) {
    try {
      String email = "setup-" + UUID.randomUUID() + "@example.com";
      String credentials = "{\"email\":\"" + email + "\",\"password\":\"" + Steps.PASSWORD + "\"";
      send("POST", "/api/auth/register", credentials + ",\"name\":\"Setup\"}", "application/json", null, 201);
      String token = first(TOKEN, send("POST", "/api/auth/login", credentials + "}", "application/json", null, 200));
      List<String> originals = new ArrayList<>();
      for (int i = 0; i < readyImages; i++) {
        String accepted = send("POST", "/api/images", null, Pictures.MULTIPART_CONTENT_TYPE, token, 202,
            Pictures.multipart("setup.png", Pictures.distinctPng(320, 240)));
        awaitReady(token, first(ID, accepted));
        originals.add(first(URL, accepted));
      }
      return new Account(token, originals);
    } catch (IOException e) {
      throw new IllegalStateException("setup against " + baseUrl + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void awaitReady(String token, String id) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (System.nanoTime() < deadline) {
      if (!"processing".equals(first(STATUS, send("GET", "/api/images/" + id, null, null, token, 200)))) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("setup image " + id + " still processing after 180 s");
  }

  private String send(String method, String path, String json, String type, String token, int expected)
      throws IOException, InterruptedException {
    return send(method, path, json, type, token, expected, null);
  }

  private String send(String method, String path, String json, String type, String token, int expected, byte[] bytes)
      throws IOException, InterruptedException {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
    if (type != null) {
      req.header("content-type", type);
    }
    if (token != null) {
      req.header("authorization", "Bearer " + token);
    }
    HttpRequest.BodyPublisher body = bytes != null ? HttpRequest.BodyPublishers.ofByteArray(bytes)
        : json != null ? HttpRequest.BodyPublishers.ofString(json) : HttpRequest.BodyPublishers.noBody();
    HttpResponse<String> res = client.send(req.method(method, body).build(), HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() != expected) {
      throw new IOException(method + " " + path + ": " + res.statusCode() + " " + res.body());
    }
    return res.body();
  }

  private static String first(Pattern pattern, String json) throws IOException {
    Matcher m = pattern.matcher(json);
    if (!m.find()) {
      throw new IOException("no " + pattern + " in " + json);
    }
    return m.group(1);
  }
}
