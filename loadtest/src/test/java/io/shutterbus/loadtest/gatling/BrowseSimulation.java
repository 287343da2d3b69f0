package io.shutterbus.loadtest.gatling;

import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.Simulation;

/** The browse scenario of scenarios.md (k6/browse.js is its twin). */
public class BrowseSimulation extends Simulation {
  private final RunSettings run = RunSettings.fromSystemProperties();

  {
    RequestLog.open(run.requestLog());
    setUp(Scenarios.browse().injectOpen(Scenarios.browseInjection(run)))
        // each virtual user has its own connections, as browsers do; no client cache (browse measures 304s)
        .protocols(http.baseUrl(run.baseUrl()).disableCaching())
        .assertions(Scenarios.thresholds(run, Scenarios.browseThresholds()));
  }

  @Override
  public void before() {
    Scenarios.createAccounts(run, 4, 0);
  }

  @Override
  public void after() {
    RequestLog.close();
  }
}
