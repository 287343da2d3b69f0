package io.shutterbus.platform.portal;

import io.shutterbus.platform.PlatformUnderTest;
import io.shutterbus.testkit.images.PhonePhotos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

/**
 * What a person does with Shutterbus, end to end through the gateway, in headless Chromium: sign
 * up with a picture, see it on the profile, upload pictures and watch them turn into thumbnails
 * with no reload, stay signed in across a reload, sign out; hostile input stays text; mistakes a
 * person can make read as sentences. Needs the whole platform: gateway routing, auth and image.
 */
@ExtendWith(PortalTestExtension.class)
class PortalJourneyIT {
  static final String PASSWORD = "correct horse battery staple";
  static final Duration PROCESSING = Duration.ofSeconds(60);
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final TestPictures PICTURES = new TestPictures();

  /** Fails (never skips) with what is missing when the gateway does not yet route to the services. */
  @BeforeAll
  static void theGatewayServesThePortalAndTheApi(PlatformUnderTest platform) throws Exception {
    HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + "/"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> refresh = HTTP.send(HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + "/api/auth/refresh"))
        .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    if (page.statusCode() != 200 || !page.body().contains("/assets/js/main.js") || refresh.statusCode() != 401) {
      fail("These journeys need the gateway to serve the portal at / and to route /api/auth and /api/images to the "
          + "auth and image services (the gateway proxy, auth and image issues). Got GET / -> " + page.statusCode()
          + ", POST /api/auth/refresh -> " + refresh.statusCode() + " " + refresh.body());
    }
  }

  static String newEmail() {
    return "ada." + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  }

  static void registerThroughTheApi(PlatformUnderTest platform, String name, String email) throws Exception {
    String json = "{\"name\":\"" + name + "\",\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}";
    HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + "/api/auth/register"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, res.statusCode(), res.body());
  }

  static void signIn(Browser browser, PlatformUnderTest platform, String email, String password) {
    browser.go(platform.gatewayUrl() + "/signin");
    browser.visible(By.id("signin-email")).sendKeys(email);
    browser.driver.findElement(By.id("signin-password")).sendKeys(password, Keys.ENTER);
  }

  static void registerInThePage(Browser browser, PlatformUnderTest platform, String name, String email, Path avatar) {
    browser.go(platform.gatewayUrl() + "/register");
    browser.visible(By.id("register-name")).sendKeys(name);
    browser.driver.findElement(By.id("register-email")).sendKeys(email);
    browser.driver.findElement(By.id("register-password")).sendKeys(PASSWORD);
    if (avatar != null) {
      browser.driver.findElement(By.id("register-avatar")).sendKeys(avatar.toString());
    }
    browser.driver.findElement(By.cssSelector("form button[type=submit]")).click();
    browser.until(d -> "/profile".equals(browser.path()));
    browser.visible(By.id("profile-name"));
  }

  /** Watches the grid from inside the page: which card states it went through, and that it never reloaded. */
  static void watchTheGallery(Browser browser) {
    browser.js("window.sameDocument = true; window.seen = new Set();"
        + "const grid = document.getElementById('gallery-grid');"
        + "new MutationObserver(() => grid.querySelectorAll('.card').forEach(c => {"
        + "  window.seen.add(c.dataset.status); if (c.querySelector('progress')) window.seen.add('progress-bar'); }))"
        + ".observe(grid, {subtree: true, childList: true, attributes: true});");
  }

  static List<WebElement> readyThumbnails(Browser browser, int count) {
    return browser.until(PROCESSING, d -> {
      List<WebElement> thumbs = d.findElements(By.cssSelector(".card[data-status=ready] img.card-thumb"));
      boolean loaded = thumbs.size() == count && thumbs.stream().allMatch(img -> (Boolean) browser.js(
          "return arguments[0].complete && arguments[0].naturalWidth > 0;", img));
      return loaded ? thumbs : null;
    });
  }

  static WebElement cardNamed(Browser browser, String name) {
    return browser.until(d -> d.findElements(By.cssSelector(".card")).stream()
        .filter(c -> c.findElement(By.cssSelector(".card-title")).getText().equals(name)).findFirst().orElse(null));
  }

  /** Drops a file on the drop zone as the browser does for a file dragged from the desktop. */
  static void dropFile(Browser browser, Path file) throws Exception {
    browser.js("const bytes = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0));"
        + "const dt = new DataTransfer(); dt.items.add(new File([bytes], arguments[1], {type: 'image/png'}));"
        + "const zone = document.querySelector('.dropzone');"
        + "for (const type of ['dragenter', 'dragover', 'drop']) {"
        + "  zone.dispatchEvent(new DragEvent(type, {dataTransfer: dt, bubbles: true, cancelable: true})); }",
        Base64.getEncoder().encodeToString(Files.readAllBytes(file)), file.getFileName().toString());
  }

  static void assertNothingBroke(Browser browser) {
    assertEquals(List.of(), browser.cspViolations());
    assertEquals(List.of(), browser.scriptErrors());
  }

  @Test
  void signUpWithAPictureUploadTwoWatchThemBecomeThumbnailsStaySignedInAcrossAReloadDropOneAndSignOut(
      PlatformUnderTest platform, Browser browser) throws Exception {
    String email = newEmail();
    browser.go(platform.gatewayUrl() + "/");
    browser.visible(By.id("signin-email"));
    browser.screenshot("journey-signin");

    registerInThePage(browser, platform, "Ada Lovelace", email, PICTURES.phoneJpeg("ada.jpg", 320, 240, 1, 6));
    // the profile re-renders when the picture is processed: read each text again if it was replaced meanwhile
    assertEquals("Ada Lovelace", browser.until(d -> d.findElement(By.id("profile-name")).getText()));
    assertEquals(email, browser.until(d -> d.findElement(By.id("profile-email")).getText()));
    assertTrue(browser.until(d -> d.findElement(By.id("profile-member-since")).getText()).matches(".*\\d{4}.*"));
    assertTrue(browser.until(d -> d.findElement(By.id("profile-image-count")).getText()).matches("\\d+"));
    String avatar = browser.until(PROCESSING, d -> d.findElements(By.cssSelector("#profile-avatar img")).stream()
        .filter(img -> (Boolean) browser.js("return arguments[0].complete && arguments[0].naturalWidth > 0;", img))
        .map(img -> img.getDomAttribute("src")).findFirst().orElse(null));
    assertTrue(avatar.startsWith("/uploads/"), avatar);
    browser.screenshot("profile");

    browser.driver.findElement(By.linkText("Gallery")).click();
    browser.visible(By.id("upload-button"));
    watchTheGallery(browser);
    browser.driver.findElement(By.id("upload-input")).sendKeys(
        PICTURES.png("sunrise.png", 800, 600, 2) + "\n" + PICTURES.png("harbour.png", 600, 900, 3));
    List<WebElement> thumbs = readyThumbnails(browser, 2);
    for (WebElement thumb : thumbs) {
      assertTrue(thumb.getDomAttribute("src").startsWith("/uploads/thumbs/"), thumb.getDomAttribute("src"));
    }
    assertEquals(Boolean.TRUE, browser.js("return window.sameDocument === true;"), "the page must not have reloaded");
    @SuppressWarnings("unchecked")
    List<String> seen = (List<String>) browser.js("return Array.from(window.seen);");
    assertTrue(seen.containsAll(List.of("progress-bar", "processing", "ready")), "card states seen: " + seen);
    browser.screenshot("gallery");

    cardNamed(browser, "sunrise.png").findElement(By.cssSelector("[data-action=open]")).click();
    WebElement viewer = browser.visible(By.cssSelector("dialog.viewer"));
    assertTrue(browser.path().startsWith("/gallery/"), browser.path());
    String original = viewer.findElement(By.id("viewer-original")).getDomAttribute("href");
    assertTrue(original.startsWith("/uploads/"), original);
    HttpResponse<byte[]> full = HTTP.send(HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + original))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, full.statusCode());
    browser.screenshot("gallery-viewer");
    browser.press(Keys.ESCAPE);
    browser.until(d -> d.findElements(By.cssSelector("dialog.viewer")).isEmpty() && "/gallery".equals(browser.path()));

    browser.driver.navigate().refresh();
    readyThumbnails(browser, 2);
    assertEquals("/gallery", browser.path());
    assertEquals("Ada Lovelace", browser.visible(By.id("nav-name")).getText(), "still signed in after a reload");
    assertEquals(0L, browser.js("return localStorage.length + sessionStorage.length;"), "no token kept in storage");

    browser.driver.findElements(By.cssSelector(".card [data-action=delete]")).get(0).click();
    browser.visible(By.cssSelector("dialog .button-danger")).click();
    browser.until(d -> d.findElements(By.cssSelector(".card")).size() == 1);

    dropFile(browser, PICTURES.png("lighthouse.png", 700, 500, 4));
    readyThumbnails(browser, 2);
    assertEquals("lighthouse.png", browser.driver.findElements(By.cssSelector(".card .card-title")).get(0).getText(),
        "a dropped picture is uploaded like a chosen one");

    browser.driver.findElement(By.linkText("Profile")).click();
    WebElement kept = browser.visible(By.cssSelector("#profile-avatar img"));
    String avatarSrc = kept.getDomAttribute("src");
    assertTrue(avatarSrc.startsWith("/uploads/thumbs/"), "the avatar is part of the profile, as a thumbnail: " + avatarSrc);
    assertTrue((Boolean) browser.js("return arguments[0].complete && arguments[0].naturalWidth > 0;", kept), "and shows");
    HttpResponse<byte[]> avatarFile = HTTP.send(HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + avatarSrc))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, avatarFile.statusCode());
    assertFalse(PhonePhotos.revealsThePlace(avatarFile.body()), "a stranger fetching the avatar learns nothing of the place");
    browser.phone();
    assertTrue(!browser.scrollsSideways(), "the profile fits 375 px");
    browser.screenshot("profile-375");
    browser.driver.findElement(By.linkText("Gallery")).click();
    readyThumbnails(browser, 2);
    assertTrue(!browser.scrollsSideways(), "the gallery fits 375 px");
    browser.screenshot("gallery-375");
    browser.desktop();

    browser.driver.findElement(By.id("sign-out")).click();
    browser.visible(By.id("signin-email"));
    assertEquals("/signin", browser.path());
    browser.go(platform.gatewayUrl() + "/gallery");
    browser.visible(By.id("signin-email"));
    assertEquals("/signin?next=%2Fgallery", browser.path(), "signed out for good: the refresh cookie is gone");
    assertNothingBroke(browser);
  }

  @Test
  void aNameWithMarkupIsShownAsTextAndRunsNothing(PlatformUnderTest platform, Browser browser) {
    String hostile = "<img src=x onerror=alert(1)>";
    registerInThePage(browser, platform, hostile, newEmail(), null);
    assertEquals(hostile, browser.driver.findElement(By.id("profile-name")).getText());
    assertEquals(hostile, browser.visible(By.id("nav-name")).getText());
    assertTrue(browser.driver.findElement(By.tagName("body")).getText().contains("Welcome to Shutterbus, " + hostile));
    assertEquals(0L, browser.js("return document.querySelectorAll('img[src=\"x\"]').length;"), "no element made from the name");
    assertThrows(NoAlertPresentException.class, () -> browser.driver.switchTo().alert(), "no script ran");
    browser.driver.navigate().refresh();
    assertEquals(hostile, browser.visible(By.id("profile-name")).getText());
    assertThrows(NoAlertPresentException.class, () -> browser.driver.switchTo().alert(), "no script ran");
    assertNothingBroke(browser);
  }

  @Test
  void aWrongPasswordSaysSoInASentenceAndTheRightOneGetsIn(PlatformUnderTest platform, Browser browser) throws Exception {
    String email = newEmail();
    registerThroughTheApi(platform, "Grace Hopper", email);
    signIn(browser, platform, email, "not my password at all");
    WebElement message = browser.visible(By.cssSelector(".form-message[role=alert]"));
    assertEquals("That e-mail address and password don’t match an account. Check them and try again.", message.getText());
    assertEquals("signin-password", browser.focused().getDomAttribute("id"), "ready to type the password again");
    browser.screenshot("signin-wrong-password");

    browser.driver.findElement(By.id("signin-password")).sendKeys(PASSWORD, Keys.ENTER);
    browser.until(d -> "/gallery".equals(browser.path()));
    assertEquals("Grace Hopper", browser.visible(By.id("nav-name")).getText());
    assertNothingBroke(browser);
  }

  @Test
  void filesThatCannotBeUsedEachSayWhyInASentence(PlatformUnderTest platform, Browser browser) throws Exception {
    String email = newEmail();
    registerThroughTheApi(platform, "Katherine Johnson", email);
    signIn(browser, platform, email, PASSWORD);
    browser.until(d -> "/gallery".equals(browser.path()));
    browser.visible(By.id("upload-button"));

    Path huge = PICTURES.largePng("huge.png", 25L * 1024 * 1024);
    assertTrue(Files.size(huge) >= 25L * 1024 * 1024);
    browser.driver.findElement(By.id("upload-input")).sendKeys(huge.toString());
    WebElement tooLarge = browser.until(PROCESSING, d -> d.findElements(By.cssSelector(".card[data-status=rejected]")).stream()
        .filter(c -> c.getText().contains("huge.png")).findFirst().orElse(null));
    assertTrue(tooLarge.findElement(By.cssSelector(".card-status")).getText()
        .equals("“huge.png” is too large to upload. Please choose a smaller file."), tooLarge.getText());

    browser.driver.findElement(By.id("upload-input")).sendKeys(PICTURES.text("notes.txt", "Buy milk.\n").toString());
    WebElement notAPicture = browser.until(d -> d.findElements(By.cssSelector(".card[data-status=rejected]")).stream()
        .filter(c -> c.getText().contains("notes.txt")).findFirst().orElse(null));
    assertEquals("“notes.txt” isn’t a picture Shutterbus can use. Please choose a PNG, JPEG, GIF or WebP image.",
        notAPicture.findElement(By.cssSelector(".card-status")).getText());
    browser.screenshot("gallery-rejected");

    watchTheGallery(browser);
    browser.driver.findElement(By.id("upload-input")).sendKeys(PICTURES.corruptPng("broken.png").toString());
    WebElement broken = browser.until(PROCESSING, d -> d.findElements(By.cssSelector(".card[data-status=failed]")).stream()
        .filter(c -> c.getText().contains("broken.png")).findFirst().orElse(null));
    assertTrue(broken.findElement(By.cssSelector(".card-status")).getText().startsWith("Couldn’t be processed"),
        broken.getText());
    browser.js("window.seen.clear();");
    broken.findElement(By.cssSelector("[data-action=retry]")).click();
    browser.until(PROCESSING, d -> (Boolean) browser.js("return window.seen.has('processing');")
        && d.findElements(By.cssSelector(".card[data-status=failed] [data-action=retry]")).size() == 1);
    String screen = browser.driver.findElement(By.tagName("body")).getText();
    assertTrue(!screen.matches("(?s).*\\b(400|401|413|415|422|500|502|503|504)\\b.*"), "no status codes on screen: " + screen);
    assertNothingBroke(browser);
  }
}
