package io.shutterbus.platform.portal;

import io.shutterbus.platform.PlatformUnderTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The pages a person meets before signing in, in headless Chromium, on the portal service of the
 * running platform: they render under the strict CSP, every field is labelled, the keyboard alone
 * gets everywhere with a visible focus, mistakes are explained next to the field, and 375 px wide
 * screens need no sideways scrolling. None of this needs the API behind the gateway.
 */
@ExtendWith(PortalTestExtension.class)
class PortalPagesIT {

  @Test
  void theSignInPageRendersLabelledAndIsPhotographedOnDesktopAndPhone(PlatformUnderTest platform, Browser browser)
      throws Exception {
    browser.go(platform.portalUrl() + "/");
    browser.visible(By.id("signin-email"));
    assertEquals("/signin", browser.path());
    assertEquals("Sign in · Shutterbus", browser.driver.getTitle());
    assertEquals("Sign in", browser.driver.findElement(By.tagName("h1")).getText());
    assertLabelled(browser, "signin-email", "E-mail address");
    assertLabelled(browser, "signin-password", "Password");
    assertEquals("email", browser.driver.findElement(By.id("signin-email")).getDomAttribute("autocomplete"));
    assertEquals("current-password", browser.driver.findElement(By.id("signin-password")).getDomAttribute("autocomplete"));
    assertTrue(Files.size(browser.screenshot("signin")) > 10_000, "the screenshot has content");

    browser.phone();
    browser.go(platform.portalUrl() + "/signin");
    browser.visible(By.id("signin-email"));
    assertFalse(browser.scrollsSideways(), "no sideways scrolling at 375 px");
    assertTrue(browser.driver.findElement(By.cssSelector("form button[type=submit]")).isDisplayed());
    browser.screenshot("signin-375");

    browser.go(platform.portalUrl() + "/register");
    browser.visible(By.id("register-name"));
    assertFalse(browser.scrollsSideways(), "no sideways scrolling at 375 px");
    browser.screenshot("register-375");
    assertEquals(List.of(), browser.cspViolations());
  }

  @Test
  void theKeyboardAloneReachesEveryControlInReadingOrderWithAVisibleFocus(PlatformUnderTest platform, Browser browser) {
    browser.go(platform.portalUrl() + "/signin");
    browser.visible(By.id("signin-email"));
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      browser.tab();
      WebElement focused = browser.focused();
      order.add(describe(focused));
      assertFocusVisible(browser, focused);
    }
    assertEquals(List.of("a:Skip to content", "a:Shutterbus home", "input:signin-email", "input:signin-password",
        "button:Sign in", "a:Create an account"), order);

    browser.press(Keys.ENTER);
    browser.visible(By.id("register-name"));
    assertEquals("/register", browser.path());
    assertEquals("page-title", browser.focused().getDomAttribute("id"), "a new page puts the focus on its heading");
    order.clear();
    for (int i = 0; i < 6; i++) {
      browser.tab();
      WebElement focused = browser.focused();
      order.add(describe(focused));
      assertFocusVisible(browser, focused);
    }
    assertEquals(List.of("input:register-name", "input:register-email", "input:register-password",
        "input:register-avatar", "button:Create account", "a:Sign in"), order);
  }

  @Test
  void anEmptyOrShortFormSaysWhatIsMissingNextToEachField(PlatformUnderTest platform, Browser browser) {
    browser.go(platform.portalUrl() + "/signin");
    browser.visible(By.id("signin-email")).sendKeys(Keys.ENTER);
    assertFieldError(browser, "signin-email", "Enter your e-mail address.");
    assertFieldError(browser, "signin-password", "Enter your password.");
    assertEquals("signin-email", browser.focused().getDomAttribute("id"), "focus goes to the first field to fix");

    browser.driver.findElement(By.id("signin-email")).sendKeys("ada@");
    assertNull(browser.driver.findElement(By.id("signin-email")).getDomAttribute("aria-invalid"),
        "typing clears the complaint about that field");

    browser.driver.findElement(By.linkText("Create an account")).click();
    browser.visible(By.id("register-name")).sendKeys("Ada Lovelace");
    browser.driver.findElement(By.id("register-email")).sendKeys("ada.example.com");
    browser.driver.findElement(By.id("register-password")).sendKeys("too short", Keys.ENTER);
    assertFieldError(browser, "register-email", "Enter an e-mail address like name@example.com.");
    assertFieldError(browser, "register-password", "Use at least 10 characters for your password.");
    assertNull(browser.driver.findElement(By.id("register-name")).getDomAttribute("aria-invalid"));
    browser.screenshot("register-errors");
    assertEquals(List.of(), browser.cspViolations());
  }

  @Test
  void aSignedInPageAsksToSignInFirstAndRemembersWhereYouWereGoing(PlatformUnderTest platform, Browser browser) {
    browser.go(platform.portalUrl() + "/gallery/some-picture");
    browser.visible(By.id("signin-email"));
    assertEquals("/signin?next=%2Fgallery%2Fsome-picture", browser.path());
    browser.go(platform.portalUrl() + "/profile");
    browser.visible(By.id("signin-email"));
    assertEquals("/signin?next=%2Fprofile", browser.path());
  }

  @Test
  void noPageBreaksTheContentSecurityPolicyOrThrows(PlatformUnderTest platform, Browser browser) {
    for (String path : new String[] {"/", "/signin", "/register", "/gallery", "/profile"}) {
      browser.go(platform.portalUrl() + path);
      browser.visible(By.tagName("h1"));
    }
    browser.driver.findElement(By.id("signin-email")).sendKeys(Keys.ENTER);
    browser.visible(By.id("signin-email-error"));
    assertEquals(List.of(), browser.cspViolations());
    assertEquals(List.of(), browser.scriptErrors());
  }

  /** The check above would pass on a page without a CSP; this one proves Chromium enforces and reports it. */
  @Test
  void theContentSecurityPolicyIsEnforcedSoTheCheckMeansSomething(PlatformUnderTest platform, Browser browser) {
    browser.go(platform.portalUrl() + "/signin");
    browser.visible(By.id("signin-email"));
    browser.js("const s = document.createElement('script'); s.textContent = 'window.injected = true;';"
        + "document.body.append(s);"
        + "const d = document.createElement('div'); d.setAttribute('style', 'color: red'); document.body.append(d);");
    assertEquals(Boolean.FALSE, browser.js("return window.injected === true;"), "an inline script must not run");
    List<String> violations = browser.until(d -> {
      List<String> v = browser.cspViolations();
      return v.size() >= 2 ? v : null;
    });
    assertTrue(violations.stream().anyMatch(v -> v.contains("script")), violations.toString());
    assertTrue(violations.stream().anyMatch(v -> v.contains("style")), violations.toString());
  }

  static void assertLabelled(Browser browser, String inputId, String label) {
    WebElement labelElement = browser.driver.findElement(By.cssSelector("label[for='" + inputId + "']"));
    assertEquals(label, labelElement.getText());
  }

  static void assertFieldError(Browser browser, String inputId, String text) {
    WebElement input = browser.driver.findElement(By.id(inputId));
    assertEquals("true", input.getDomAttribute("aria-invalid"), inputId);
    WebElement error = browser.driver.findElement(By.id(inputId + "-error"));
    assertTrue(error.isDisplayed(), inputId);
    assertEquals(text, error.getText());
    assertTrue(input.getDomAttribute("aria-describedby").contains(inputId + "-error"),
        "the message is read out with the field");
  }

  static String describe(WebElement e) {
    String tag = e.getTagName();
    String id = e.getDomAttribute("id");
    if (tag.equals("input") && id != null && !id.isEmpty()) {
      return tag + ":" + id;
    }
    String name = e.getDomAttribute("aria-label");
    return tag + ":" + (name != null && !name.isEmpty() ? name : e.getText().trim());
  }

  /** A focus ring: an outline or a box-shadow that is not there without focus. */
  static void assertFocusVisible(Browser browser, WebElement e) {
    String outline = (String) browser.js("const s = getComputedStyle(arguments[0]);"
        + "return s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.boxShadow;", e);
    boolean ring = !outline.startsWith("none") && !outline.contains(" 0px ") || !outline.endsWith("none");
    assertTrue(ring, describe(e) + " shows no focus: " + outline);
    assertNotEquals("hidden", e.getCssValue("visibility"));
  }
}
