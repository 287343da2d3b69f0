package io.shutterbus.platform.portal;

import io.shutterbus.platform.PlatformUnderTest;

import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test the running platform (one per JVM) and a fresh browser (one per test, closed after
 * it). When a test fails, the browser's last picture is kept as target/screenshots/failed-*.png.
 */
final class PortalTestExtension implements ParameterResolver, AfterEachCallback {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PortalTestExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == PlatformUnderTest.class || type == Browser.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (parameter.getParameter().getType() == PlatformUnderTest.class) {
      return PlatformUnderTest.of(context);
    }
    PlatformUnderTest.of(context);
    return context.getStore(NAMESPACE).getOrComputeIfAbsent(Browser.class, k -> Browser.start(), Browser.class);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Browser browser = context.getStore(NAMESPACE).remove(Browser.class, Browser.class);
    if (browser == null) {
      return;
    }
    try {
      Optional<Throwable> failure = context.getExecutionException();
      if (failure.isPresent()) {
        try {
          browser.screenshot("failed-" + context.getRequiredTestClass().getSimpleName() + "-"
              + context.getRequiredTestMethod().getName());
        } catch (RuntimeException ignored) {
          // the failure itself is what matters
        }
      }
    } finally {
      browser.close();
    }
  }
}
