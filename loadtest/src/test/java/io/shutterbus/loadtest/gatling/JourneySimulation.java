package io.shutterbus.loadtest.gatling;

import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.Simulation;

/** The journey scenario of scenarios.md (k6/journey.js is its twin). */
public class JourneySimulation extends Simulation {
  private final RunSettings run = RunSettings.fromSystemProperties();

  {
    RequestLog.open(run.requestLog());
    setUp(Scenarios.journey().injectOpen(Scenarios.journeyInjection(run)))
        // each virtual user has its own connections, as browsers do; no client cache (browse measures 304s)
        .protocols(http.baseUrl(run.baseUrl()).disableCaching())
        .assertions(Scenarios.thresholds(run, Scenarios.journeyThresholds()));
  }

  @Override
  public void before() {
    Scenarios.createAccounts(run, 0, 0);
  }

  @Override
  public void after() {
    RequestLog.close();
  }
}
