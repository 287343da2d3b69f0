package io.shutterbus.loadtest.gatling;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.ScenarioBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The three journeys of scenarios.md with their open-model injection and thresholds. k6/*.js are
 * their twins; ScenarioParityTest keeps the request names and thresholds of both equal to the document.
 */
final class Scenarios {
  /** Filled by the simulation's before() hook, read by the virtual users. */
  static final List<Accounts.Account> BROWSE_ACCOUNTS = new ArrayList<>();
  static final List<Accounts.Account> BURST_ACCOUNTS = new ArrayList<>();

  private Scenarios() {
  }

  static ScenarioBuilder journey() {
    Steps steps = new Steps("journey");
    return scenario("journey")
        .exec(steps.registerAndLogin())
        .repeat(3).on(steps.uploadAndAwaitReady(320, 240))
        .exec(steps.gallery())
        .exec(steps.thumbnails())
        .exec(steps.refresh());
  }

  static OpenInjectionStep[] journeyInjection(RunSettings run) {
    return new OpenInjectionStep[] {constantUsersPerSec(run.rate()).during(run.duration())};
  }

  static List<List<Assertion>> journeyThresholds() {
    return List.of(failedShare(0.001), latency("register", 1500, 3000), latency("login", 1500, 3000),
        latency("upload", 1000, 2000), latency("accepted_to_ready", "image_status", 300, 1000),
        latency("gallery", 300, 1000), latency("thumbnail", 300, 1000), latency("refresh", 300, 1000),
        acceptedToReady(5000));
  }

  static ScenarioBuilder browse() {
    Steps steps = new Steps("browse");
    return scenario("browse")
        .exec(session -> {
          Accounts.Account a = BROWSE_ACCOUNTS.get(ThreadLocalRandom.current().nextInt(BROWSE_ACCOUNTS.size()));
          return session.set("token", a.token()).set("original", a.originals().get(0));
        })
        .exec(steps.me())
        .exec(steps.galleryPages(2))
        .exec(steps.originalWithRevalidation());
  }

  static OpenInjectionStep[] browseInjection(RunSettings run) {
    return new OpenInjectionStep[] {constantUsersPerSec(run.rate() * 5).during(run.duration())};
  }

  static List<List<Assertion>> browseThresholds() {
    return List.of(failedShare(0.001), latency("me", 300, 1000), latency("gallery_page", 300, 1000),
        latency("thumbnail", 300, 1000), latency("original", 300, 1000), latency("original_revalidate", 300, 1000));
  }

  static ScenarioBuilder burst() {
    Steps steps = new Steps("burst");
    return scenario("burst")
        .exec(session -> session.set("token",
            BURST_ACCOUNTS.get(ThreadLocalRandom.current().nextInt(BURST_ACCOUNTS.size())).token()))
        .exec(steps.uploadAndAwaitReady(320, 240));
  }

  /** Ramps from 1 to rate x 10 uploads/s over two thirds of the run, then holds. */
  static OpenInjectionStep[] burstInjection(RunSettings run) {
    Duration ramp = run.duration().multipliedBy(2).dividedBy(3);
    double peak = Math.max(1.0, run.rate() * 10);
    return new OpenInjectionStep[] {rampUsersPerSec(1).to(peak).during(ramp),
        constantUsersPerSec(peak).during(run.duration().minus(ramp))};
  }

  static List<List<Assertion>> burstThresholds() {
    return List.of(failedShare(0.001), latency("upload", 1000, 2000),
        latency("accepted_to_ready", "image_status", 300, 1000), acceptedToReady(5000));
  }

  static void createAccounts(RunSettings run, int browse, int burst) {
    Accounts accounts = new Accounts(run.baseUrl());
    for (int i = 0; i < browse; i++) {
      BROWSE_ACCOUNTS.add(accounts.create(4));
    }
    for (int i = 0; i < burst; i++) {
      BURST_ACCOUNTS.add(accounts.create(0));
    }
  }

  /** The thresholds a run is held to; without latency assertions (smoke) only the failed share. */
  static List<Assertion> thresholds(RunSettings run, List<List<Assertion>> all) {
    List<Assertion> out = new ArrayList<>();
    for (List<Assertion> part : all) {
      if (run.latencyAssertions() || part.size() == 1 && part == FAILED_SHARE) {
        out.addAll(part);
      }
    }
    return out;
  }

  private static final double MAX_FAILED_SHARE = 0.001;
  private static final List<Assertion> FAILED_SHARE = List.of(global().failedRequests().percent().lt(MAX_FAILED_SHARE * 100));

  /** The share of requests that failed a check (unexpected status, no answer): the availability objective. */
  private static List<Assertion> failedShare(double maxShare) {
    return maxShare == MAX_FAILED_SHARE ? FAILED_SHARE : List.of(global().failedRequests().percent().lt(maxShare * 100));
  }

  private static List<Assertion> latency(String request, int p95, int p99) {
    return List.of(details(request).responseTime().percentile(95.0).lt(p95),
        details(request).responseTime().percentile(99.0).lt(p99));
  }

  /** A request inside a group: Gatling names it by its group path. */
  private static List<Assertion> latency(String group, String request, int p95, int p99) {
    return List.of(details(group, request).responseTime().percentile(95.0).lt(p95),
        details(group, request).responseTime().percentile(99.0).lt(p99));
  }

  /** The upload-pipeline objective: 99 % ready within the limit. */
  private static List<Assertion> acceptedToReady(int p99) {
    return List.of(details("accepted_to_ready").responseTime().percentile(99.0).lt(p99));
  }
}
