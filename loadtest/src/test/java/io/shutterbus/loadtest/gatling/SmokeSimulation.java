package io.shutterbus.loadtest.gatling;

import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.Simulation;
import java.util.ArrayList;
import java.util.List;

/** All three journeys at once for a few seconds: proves every step still runs (loadtest/run smoke). */
public class SmokeSimulation extends Simulation {
  private final RunSettings run = RunSettings.fromSystemProperties();

  {
    RequestLog.open(run.requestLog());
    List<List<Assertion>> thresholds = new ArrayList<>(Scenarios.journeyThresholds());
    thresholds.addAll(Scenarios.browseThresholds());
    thresholds.addAll(Scenarios.burstThresholds());
    setUp(Scenarios.journey().injectOpen(Scenarios.journeyInjection(run)),
        Scenarios.browse().injectOpen(Scenarios.browseInjection(run)),
        Scenarios.burst().injectOpen(Scenarios.burstInjection(run)))
        // each virtual user has its own connections, as browsers do; no client cache (browse measures 304s)
        .protocols(http.baseUrl(run.baseUrl()).disableCaching())
        .assertions(Scenarios.thresholds(run, thresholds));
  }

  @Override
  public void before() {
    Scenarios.createAccounts(run, 1, 2);
  }

  @Override
  public void after() {
    RequestLog.close();
  }
}
