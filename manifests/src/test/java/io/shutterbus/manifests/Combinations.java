package io.shutterbus.manifests;

import io.shutterbus.testkit.manifests.Kustomize;
import io.shutterbus.testkit.manifests.Rendered;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Every rendering users can pick: the base alone, and the minikube overlay with each combination
 * of components (network-policies on or off; no TLS, tls with the manual Secret, or cert-manager,
 * which includes tls; CPU or KEDA scaling of the worker). Rendered once per JVM.
 */
final class Combinations {
  static final List<List<String>> MINIKUBE_COMPONENTS = componentSets();
  private static final Map<String, Rendered> CACHE = new ConcurrentHashMap<>();

  private Combinations() {
  }

  private static List<List<String>> componentSets() {
    List<List<String>> sets = new ArrayList<>();
    for (boolean policies : new boolean[] {true, false}) {
      for (String tls : new String[] {null, "tls", "cert-manager"}) {
        for (boolean keda : new boolean[] {false, true}) {
          List<String> set = new ArrayList<>();
          if (policies) {
            set.add("network-policies");
          }
          if (tls != null) {
            set.add(tls);
          }
          if (keda) {
            set.add("keda-worker");
          }
          sets.add(List.copyOf(set));
        }
      }
    }
    return List.copyOf(sets);
  }

  /** The minikube overlay with each component set. */
  static Stream<Rendered> minikubeVariants() {
    return MINIKUBE_COMPONENTS.stream().map(set -> CACHE.computeIfAbsent("minikube+" + String.join("+", set),
        k -> Kustomize.minikube(set)));
  }

  /** overlays/minikube-load: the applied overlay plus the k6 Job, as committed. */
  static Rendered minikubeLoad() {
    return CACHE.computeIfAbsent("minikube-load",
        k -> Kustomize.render(Kustomize.workspace().resolve("overlays/minikube-load")));
  }

  /** The applied overlay with components/monitoring (kube-prometheus-stack's PodMonitor, rules, dashboards). */
  static Rendered minikubeMonitoring() {
    return CACHE.computeIfAbsent("minikube+monitoring",
        k -> Kustomize.minikube(List.of("network-policies", "monitoring")));
  }

  /** The base, every minikube variant, the monitoring variant and the load overlay. */
  static Stream<Rendered> all() {
    return Stream.concat(Stream.of(CACHE.computeIfAbsent("base", k -> Kustomize.base()), minikubeLoad(),
        minikubeMonitoring()), minikubeVariants());
  }
}
