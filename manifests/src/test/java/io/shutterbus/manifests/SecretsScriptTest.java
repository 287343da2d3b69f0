package io.shutterbus.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.testkit.manifests.Kustomize;
import io.shutterbus.testkit.manifests.Rendered;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * manifests/secrets.sh and the overlay's secretGenerator: the JWT key rotation of the README
 * (two kids in the JWKS during the overlap), step by step as rendered, and steps out of order refused.
 */
class SecretsScriptTest {

  @Test
  void theRotationStepsPublishTheNextKeyThenSwapThenDropThePreviousOne() throws Exception {
    Path overlay = Kustomize.workspace().resolve("overlays/rotation");
    Files.createDirectories(overlay);
    for (String f : List.of("kustomization.yaml", "namespace.yaml")) {
      Files.copy(Kustomize.workspace().resolve("overlays/minikube").resolve(f), overlay.resolve(f),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Path secrets = overlay.resolve("secrets");

    assertEquals(0, secretsSh(null, secrets).exit, "first run");
    Map<String, String> initial = jwt(overlay);
    String first = initial.get("key-id");
    assertTrue(first.startsWith("jwt-") && initial.get("jwt-es256.pem").contains("BEGIN PRIVATE KEY"), first);
    assertEquals("", initial.get("extra-key-id"), "no extra key outside a rotation");
    assertEquals("", initial.get("jwt-extra.pem"));
    String initialName = secretName(Kustomize.render(overlay));
    assertEquals(0, secretsSh(null, secrets).exit);
    assertEquals(initial, jwt(overlay), "running it again changes nothing");

    Result early = secretsSh("--rotate-jwt", secrets);
    assertEquals(3, early.exit, "rotate before stage is refused");
    assertTrue(early.err.contains("--stage-jwt"), early.err);
    assertEquals(3, secretsSh("--drop-previous-jwt", secrets).exit, "nothing to drop yet");

    assertEquals(0, secretsSh("--stage-jwt", secrets).exit);
    Map<String, String> staged = jwt(overlay);
    String next = staged.get("extra-key-id");
    assertEquals(first, staged.get("key-id"), "step 1: the old key still signs");
    assertTrue(next.startsWith("jwt-") && !next.equals(first), next);
    assertTrue(staged.get("jwt-extra.pem").contains("BEGIN PRIVATE KEY"));
    assertNotEquals(initialName, secretName(Kustomize.render(overlay)), "a new Secret name rolls auth");

    assertEquals(0, secretsSh("--rotate-jwt", secrets).exit);
    Map<String, String> rotated = jwt(overlay);
    assertEquals(next, rotated.get("key-id"), "step 2: the new key signs");
    assertEquals(first, rotated.get("extra-key-id"), "step 2: the old key stays published");
    assertEquals(staged.get("jwt-extra.pem"), rotated.get("jwt-es256.pem"));
    assertEquals(staged.get("jwt-es256.pem"), rotated.get("jwt-extra.pem"));
    Result restage = secretsSh("--stage-jwt", secrets);
    assertEquals(3, restage.exit, "staging again while the previous key is published would drop it early");
    assertTrue(restage.err.contains("--drop-previous-jwt"), restage.err);

    assertEquals(0, secretsSh("--drop-previous-jwt", secrets).exit);
    Map<String, String> dropped = jwt(overlay);
    assertEquals(next, dropped.get("key-id"));
    assertEquals("", dropped.get("extra-key-id"), "step 3: the old key leaves the JWKS");
    assertEquals("", dropped.get("jwt-extra.pem"));

    assertEquals(2, secretsSh("--rotate", secrets).exit, "an unknown option is bad usage");
  }

  /** The auth-jwt Secret's data as rendered, after checking auth reads its kid and extra kid from it. */
  private static Map<String, String> jwt(Path overlay) {
    Rendered r = Kustomize.render(overlay);
    String name = secretName(r);
    Map<String, String> env = r.env(r.get("Deployment", "auth"), "auth", true);
    Map<String, String> data = r.data("Secret", name);
    assertEquals(data.get("key-id"), env.get("AUTH_JWT_KEY_ID"));
    assertEquals(data.get("extra-key-id"), env.get("AUTH_JWT_EXTRA_KEY_ID"));
    assertEquals("/var/run/secrets/shutterbus/jwt/jwt-extra.pem", env.get("AUTH_JWT_EXTRA_KEY_FILE"));
    return data;
  }

  private static String secretName(Rendered r) {
    return r.kind("Secret").stream().map(Rendered::name).filter(n -> n.startsWith("auth-jwt-")).findFirst()
        .orElseThrow(() -> new AssertionError("no auth-jwt Secret rendered"));
  }

  private record Result(int exit, String err) {
  }

  private static Result secretsSh(String step, Path dir) throws IOException, InterruptedException {
    List<String> cmd = step == null
        ? List.of("bash", Kustomize.workspace().resolve("secrets.sh").toString(), dir.toString())
        : List.of("bash", Kustomize.workspace().resolve("secrets.sh").toString(), step, dir.toString());
    Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "secrets.sh did not finish");
    return new Result(p.exitValue(), err);
  }
}
