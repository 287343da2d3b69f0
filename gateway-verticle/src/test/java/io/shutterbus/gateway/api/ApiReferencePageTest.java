package io.shutterbus.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.testkit.api.OpenApiContract;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * openapi.html, served at /api/docs, is the rendering of openapi.yaml as it is now. After editing
 * the spec: {@code mvn -B -q -pl gateway-verticle -am test -Dtest=ApiReferencePageTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dapi.page.write=true} rewrites the page; commit both.
 */
class ApiReferencePageTest {
  static final Path PAGE = Path.of("openapi.html");

  @Test
  void theCommittedPageIsTheRenderingOfTheSpec() throws Exception {
    String rendered = new ApiReferencePage(OpenApiContract.locate()).render();
    if (Boolean.getBoolean("api.page.write")) {
      Files.writeString(PAGE, rendered);
    }
    assertEquals(rendered, Files.readString(PAGE),
        "openapi.html is stale: rerun this test with -Dapi.page.write=true and commit the page");
  }

  @Test
  void thePageListsEveryOperationAndNeedsNoScript() {
    OpenApiContract contract = OpenApiContract.locate();
    String page = new ApiReferencePage(contract).render();
    contract.operations().forEach(op -> assertTrue(page.contains(ApiReferencePage.esc(op.key())), op.key()));
    assertFalse(page.contains("<script"), "the gateway's CSP allows no inline script");
    assertFalse(page.contains("style="), "the gateway's CSP allows no inline style");
    assertFalse(page.matches("(?s).*(src|href)=\"https?:.*"), "nothing from another origin");
  }
}
