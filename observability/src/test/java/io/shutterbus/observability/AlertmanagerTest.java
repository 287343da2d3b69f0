package io.shutterbus.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** amtool: the config is valid and each severity reaches the receiver meant for it. */
class AlertmanagerTest {
  private static final String CONFIG = "alertmanager/alertmanager.yml";

  @Test
  void theConfigIsValid() {
    Tools.ok("amtool", "check-config", CONFIG);
  }

  @Test
  void eachSeverityRoutesToItsReceiver() {
    Map<String, String> expected = Map.of(
        "severity=page alertname=PostgresUnreachable", "page",
        "severity=page alertname=ApiAvailabilityBudgetBurnFast slo=api-availability", "page",
        "severity=ticket alertname=DeadLettersGrowing", "ticket",
        "severity=ticket alertname=UploadPipelineBudgetBurnSlow slo=upload-pipeline", "ticket",
        "severity=none alertname=Watchdog", "blackhole",
        "alertname=SomethingNew", "ticket");
    expected.forEach((labels, receiver) -> {
      String[] cmd = ("amtool config routes test --config.file=" + CONFIG + " " + labels).split(" ");
      String out = Tools.ok(cmd).lines().filter(l -> !l.startsWith("Warning")).findFirst().orElse("").trim();
      assertEquals(receiver, out, labels);
    });
  }

  /** Every severity an alert rule uses has a route of its own (none falls to the default by accident). */
  @Test
  void everySeverityInTheRulesIsRouted() {
    TreeSet<String> severities = new TreeSet<>();
    Rules.all().stream().filter(Rules.Rule::alert).forEach(r -> severities.add(String.valueOf(r.labels().get("severity"))));
    assertEquals(new TreeSet<>(java.util.List.of("none", "page", "ticket")), severities);
  }
}
