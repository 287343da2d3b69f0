package io.shutterbus.kit.run;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;

/** The Vert.x instance services deploy into and the registry their management servers expose. */
public record ServiceRuntime(Vertx vertx, PrometheusMeterRegistry registry) {
}
