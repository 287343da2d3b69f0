package io.shutterbus.manifests;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.shutterbus.testkit.manifests.Rendered;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates rendered objects against the Kubernetes API types (fabric8 kubernetes-model, generated
 * from the OpenAPI schemas). The model keeps fields it does not know in {@code additionalProperties}
 * instead of failing, so after binding every nested object is walked and any field collected there
 * is an error naming its path: a typo such as {@code readinesProbe} cannot pass. Custom resources
 * (cert-manager, KEDA, prometheus-operator) have no model here and are checked by {@link CustomResourceShapes}.
 */
final class StrictSchema {
  static final Map<String, Class<?>> TYPES = Map.ofEntries(
      Map.entry("v1/Namespace", io.fabric8.kubernetes.api.model.Namespace.class),
      Map.entry("v1/ServiceAccount", io.fabric8.kubernetes.api.model.ServiceAccount.class),
      Map.entry("v1/ConfigMap", io.fabric8.kubernetes.api.model.ConfigMap.class),
      Map.entry("v1/Secret", io.fabric8.kubernetes.api.model.Secret.class),
      Map.entry("v1/Service", io.fabric8.kubernetes.api.model.Service.class),
      Map.entry("v1/PersistentVolumeClaim", io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class),
      Map.entry("apps/v1/Deployment", io.fabric8.kubernetes.api.model.apps.Deployment.class),
      Map.entry("apps/v1/StatefulSet", io.fabric8.kubernetes.api.model.apps.StatefulSet.class),
      Map.entry("batch/v1/Job", io.fabric8.kubernetes.api.model.batch.v1.Job.class),
      Map.entry("autoscaling/v2/HorizontalPodAutoscaler",
          io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class),
      Map.entry("policy/v1/PodDisruptionBudget", io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class),
      Map.entry("networking.k8s.io/v1/NetworkPolicy",
          io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class),
      Map.entry("networking.k8s.io/v1/Ingress", io.fabric8.kubernetes.api.model.networking.v1.Ingress.class));

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private StrictSchema() {
  }

  /** Every problem found in the object, each naming the object and the field path. */
  static List<String> problems(JsonNode object) {
    String type = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
    List<String> problems = new ArrayList<>();
    if (CustomResourceShapes.handles(type)) {
      CustomResourceShapes.check(type, object, Rendered.id(object), problems);
      return problems;
    }
    Class<?> cls = TYPES.get(type);
    if (cls == null) {
      problems.add(Rendered.id(object) + ": unknown apiVersion/kind " + type);
      return problems;
    }
    Object bound;
    try {
      bound = MAPPER.treeToValue(object, cls);
    } catch (Exception e) {
      problems.add(Rendered.id(object) + ": " + e.getMessage());
      return problems;
    }
    collectUnknown(bound, Rendered.id(object), problems, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
    return problems;
  }

  private static void collectUnknown(Object value, String path, List<String> problems, Set<Object> seen) {
    if (value == null || !seen.add(value)) {
      return;
    }
    if (value instanceof Collection<?> list) {
      int i = 0;
      for (Object item : list) {
        collectUnknown(item, path + "[" + i++ + "]", problems, seen);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> collectUnknown(v, path + "." + k, problems, seen));
      return;
    }
    if (!value.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method m : value.getClass().getMethods()) {
      if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
          || m.getDeclaringClass() == Object.class) {
        continue;
      }
      Object child;
      try {
        child = m.invoke(value);
      } catch (ReflectiveOperationException e) {
        continue;
      }
      if (m.getName().equals("getAdditionalProperties")) {
        if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
          problems.add(path + ": fields not in the Kubernetes schema: " + extra.keySet());
        }
        continue;
      }
      String field = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
      collectUnknown(child, path + "." + field, problems, seen);
    }
  }
}
