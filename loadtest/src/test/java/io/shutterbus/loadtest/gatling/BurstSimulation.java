package io.shutterbus.loadtest.gatling;

import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.Simulation;

/** The burst scenario of scenarios.md (k6/burst.js is its twin). */
public class BurstSimulation extends Simulation {
  private final RunSettings run = RunSettings.fromSystemProperties();

  {
    RequestLog.open(run.requestLog());
    setUp(Scenarios.burst().injectOpen(Scenarios.burstInjection(run)))
        // each virtual user has its own connections, as browsers do; no client cache (browse measures 304s)
        .protocols(http.baseUrl(run.baseUrl()).disableCaching())
        .assertions(Scenarios.thresholds(run, Scenarios.burstThresholds()));
  }

  @Override
  public void before() {
    Scenarios.createAccounts(run, 0, 10);
  }

  @Override
  public void after() {
    RequestLog.close();
  }
}
