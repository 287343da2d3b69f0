package io.shutterbus.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** openapi.yaml is a valid OpenAPI 3.1 document, as a generator or a viewer would read it. */
class OpenApiDocumentTest {
  @Test
  void theSpecParsesAsOpenApi31WithoutMessages() throws Exception {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult result = new OpenAPIV3Parser().readContents(Files.readString(Path.of("openapi.yaml")), null, options);
    assertEquals(List.of(), result.getMessages() == null ? List.of() : result.getMessages());
    assertNotNull(result.getOpenAPI());
    assertTrue(result.getOpenAPI().getOpenapi().startsWith("3.1"), result.getOpenAPI().getOpenapi());
  }
}
