package io.shutterbus.loadtest.gatling;

import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.foreach;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;
import java.util.UUID;

/** The requests the scenarios are made of, each named as in scenarios.md and logged by {@link RequestLog}. */
final class Steps {
  static final String PASSWORD = "correct horse battery staple";
  private final String scenario;

  Steps(String scenario) {
    this.scenario = scenario;
  }

  /** A named request whose status and latency are recorded whatever its checks say. */
  ChainBuilder call(String name, int expected, HttpRequestActionBuilder request) {
    return exec(request.check(status().saveAs(RequestLog.STATUS), responseTimeInMillis().saveAs(RequestLog.LATENCY))
            .check(status().is(expected)))
        .exec(session -> RequestLog.requestDone(session, scenario, name, expected));
  }

  ChainBuilder registerAndLogin() {
    return exec(session -> session.set("email", "journey-" + UUID.randomUUID() + "@example.com"))
        .exec(call("register", 201, http("register").post("/api/auth/register").asJson()
            .body(StringBody(
                "{\"email\":\"#{email}\",\"password\":\"" + PASSWORD + "\",\"name\":\"Journey\"}"))))
        .exitHereIfFailed()
        .exec(call("login", 200, http("login").post("/api/auth/login").asJson()
            .body(StringBody("{\"email\":\"#{email}\",\"password\":\"" + PASSWORD + "\"}"))
            .check(jmesPath("accessToken").saveAs("token"))))
        .exitHereIfFailed();
  }

  /** Uploads a distinct PNG, then polls it every 100 ms until it is no longer processing. */
  ChainBuilder uploadAndAwaitReady(int width, int height) {
    return exec(session -> session.set("body", Pictures.multipart("load.png", Pictures.distinctPng(width, height))))
        .exec(call("upload", 202, http("upload").post("/api/images")
            .header("authorization", "Bearer #{token}")
            .header("content-type", Pictures.MULTIPART_CONTENT_TYPE)
            .body(ByteArrayBody("#{body}"))
            .check(jmesPath("id").saveAs("imageId"), jmesPath("status").saveAs("imageStatus"))))
        .exitHereIfFailed()
        .exec(session -> session.remove("body").set("acceptedAt", System.nanoTime()))
        // the group's duration (gatling.conf: useGroupDurationMetric) is accepted_to_ready for the assertions
        .group("accepted_to_ready").on(asLongAs(session -> "processing".equals(session.getString("imageStatus"))).on(
            exec(call("image_status", 200, http("image_status").get("/api/images/#{imageId}")
                .header("authorization", "Bearer #{token}")
                .check(jmesPath("status").saveAs("imageStatus"))))
                .exitHereIfFailed()
                .pause(Duration.ofMillis(100))))
        .exec(session -> {
          RequestLog.span(scenario, "accepted_to_ready", (System.nanoTime() - session.getLong("acceptedAt")) / 1_000_000);
          return session;
        });
  }

  ChainBuilder gallery() {
    return exec(call("gallery", 200, http("gallery").get("/api/images?limit=20").header("authorization", "Bearer #{token}")
        .check(jmesPath("items[*].thumbnails.\"256\"").ofList().saveAs("thumbs"))));
  }

  /** Gallery pages of {@code limit} images, following nextCursor, each page's thumbnails fetched. */
  ChainBuilder galleryPages(int limit) {
    return exec(galleryPage(http("gallery_page").get("/api/images").queryParam("limit", limit)))
        .asLongAs(session -> session.contains("cursor")).on(
            exec(galleryPage(http("gallery_page").get("/api/images").queryParam("limit", limit)
                .queryParam("cursor", "#{cursor}"))));
  }

  private ChainBuilder galleryPage(HttpRequestActionBuilder page) {
    return exec(session -> session.remove("nextCursor"))
        .exec(call("gallery_page", 200, page.header("authorization", "Bearer #{token}")
            .check(jmesPath("items[*].thumbnails.\"256\"").ofList().saveAs("thumbs"))
            .check(jmesPath("nextCursor").optional().saveAs("nextCursor"))))
        .exec(session -> session.contains("nextCursor")
            ? session.set("cursor", session.getString("nextCursor")) : session.remove("cursor"))
        .exec(thumbnails());
  }

  ChainBuilder thumbnails() {
    return foreach("#{thumbs}", "thumb").on(
        call("thumbnail", 200, http("thumbnail").get("#{thumb}")));
  }

  ChainBuilder refresh() {
    return exec(call("refresh", 200, http("refresh").post("/api/auth/refresh")
        .check(jmesPath("accessToken").saveAs("token"))));
  }

  ChainBuilder me() {
    return exec(call("me", 200, http("me").get("/api/me").header("authorization", "Bearer #{token}")));
  }

  /** The original, then the same URL revalidated with its ETag: a 304 without the bytes. */
  ChainBuilder originalWithRevalidation() {
    return exec(call("original", 200, http("original").get("#{original}").check(header("ETag").saveAs("etag"))))
        .exec(call("original_revalidate", 304, http("original_revalidate").get("#{original}")
            .header("if-none-match", "#{etag}")));
  }
}
