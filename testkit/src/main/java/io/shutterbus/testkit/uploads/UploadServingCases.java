package io.shutterbus.testkit.uploads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a client of {@code GET|HEAD /uploads/**} sees, whichever server answers: the image service,
 * or the gateway serving the same store itself. Each server's test extends this with how to start
 * it and how to put a file in its store, so both answer to exactly the same cases.
 */
public abstract class UploadServingCases {
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private int port;
  private byte[] png;
  private String sha;

  /** Starts the server under test over an empty store; returns its port. */
  protected abstract int startServer() throws Exception;

  protected abstract void stopServer() throws Exception;

  /** The store's root directory (its parent is outside what may be served). */
  protected abstract Path storeRoot();

  protected abstract void storeOriginal(byte[] data, String sha256, String extension) throws Exception;

  protected abstract void storeThumbnail(int size, String sha256, byte[] jpeg) throws Exception;

  protected abstract boolean originalStored(String sha256, String extension) throws Exception;

  /** The Content-Security-Policy a file arrives with through this server. */
  protected String expectedCsp() {
    return "default-src 'none'; sandbox";
  }

  /** Whether this answer came from another server this one routes to (a front door's other routes). */
  protected boolean handedOn(String rawAnswer) {
    return false;
  }

  @BeforeEach
  void startAndStoreOnePng() throws Exception {
    port = startServer();
    png = png(200, 100);
    sha = sha256(png);
    put(png, "png");
  }

  @AfterEach
  void stop() throws Exception {
    stopServer();
  }

  @Test
  void anOriginalIsServedWithItsFixedTypeAndLockedDownHeaders() throws Exception {
    HttpResponse<byte[]> res = get("/uploads/" + sha + ".png");
    assertEquals(200, res.statusCode());
    assertArrayEquals(png, res.body());
    assertHeader(res, "content-type", "image/png");
    assertHeader(res, "content-length", Integer.toString(png.length));
    assertHeader(res, "x-content-type-options", "nosniff");
    assertHeader(res, "content-security-policy", expectedCsp());
    assertHeader(res, "etag", "\"" + sha + "\"");
    assertHeader(res, "cache-control", "public, max-age=31536000, immutable");
    assertHeader(res, "accept-ranges", "bytes");
  }

  /**
   * Over HTTP/2 too (h2c upgrade, as Java's HttpClient and the gateway's upstream pool speak it):
   * Vert.x 5.0.7 cannot send an open file on an HTTP/2 stream, and a server that tried answered 500.
   */
  @Test
  void anOriginalAndARangeOfItAreServedOverHttp2() throws Exception {
    HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    URI uri = URI.create("http://127.0.0.1:" + port + "/uploads/" + sha + ".png");
    h2.send(HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.discarding());  // the upgrade happens on the first request
    HttpResponse<byte[]> whole = h2.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, whole.statusCode());
    assertArrayEquals(png, whole.body());
    HttpResponse<byte[]> part = h2.send(HttpRequest.newBuilder(uri).header("Range", "bytes=0-9").build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(206, part.statusCode());
    assertArrayEquals(java.util.Arrays.copyOf(png, 10), part.body());
  }

  @Test
  void theContentTypeComesFromTheStoredFormatOnly() throws Exception {
    byte[] jpeg = jpeg(10, 10);
    byte[] webp = "RIFF\0\0\0\0WEBPVP8 not decoded here".getBytes(StandardCharsets.ISO_8859_1);
    byte[] gif = gif(10, 10);
    put(jpeg, "jpg");
    put(webp, "webp");
    put(gif, "gif");
    assertHeader(get("/uploads/" + sha256(jpeg) + ".jpg"), "content-type", "image/jpeg");
    assertHeader(get("/uploads/" + sha256(webp) + ".webp"), "content-type", "image/webp");
    assertHeader(get("/uploads/" + sha256(gif) + ".gif"), "content-type", "image/gif");
    assertEquals(404, get("/uploads/" + sha256(gif) + ".png").statusCode(), "only under the extension it was stored with");
  }

  @Test
  void thumbnailsAreServedForConfiguredSizesWithASizedEtag() throws Exception {
    byte[] thumb = jpeg(64, 32);
    storeThumbnail(256, sha, thumb);
    HttpResponse<byte[]> res = get("/uploads/thumbs/256/" + sha + ".jpg");
    assertEquals(200, res.statusCode());
    assertArrayEquals(thumb, res.body());
    assertHeader(res, "content-type", "image/jpeg");
    assertHeader(res, "etag", "\"" + sha + "-256\"");
    assertHeader(res, "x-content-type-options", "nosniff");
    assertHeader(res, "content-security-policy", expectedCsp());
    assertEquals(404, get("/uploads/thumbs/1024/" + sha + ".jpg").statusCode(), "not rendered yet");
    assertEquals(404, get("/uploads/thumbs/512/" + sha + ".jpg").statusCode(), "not a configured size");
  }

  @Test
  void aRangeGets206WithThatSliceOnly() throws Exception {
    HttpResponse<byte[]> res = get("/uploads/" + sha + ".png", "Range", "bytes=10-19");
    assertEquals(206, res.statusCode());
    assertArrayEquals(Arrays.copyOfRange(png, 10, 20), res.body());
    assertHeader(res, "content-range", "bytes 10-19/" + png.length);
    assertHeader(res, "content-length", "10");
    assertHeader(res, "content-type", "image/png");

    res = get("/uploads/" + sha + ".png", "Range", "bytes=-5");
    assertEquals(206, res.statusCode());
    assertArrayEquals(Arrays.copyOfRange(png, png.length - 5, png.length), res.body());

    res = get("/uploads/" + sha + ".png", "Range", "bytes=100-");
    assertEquals(206, res.statusCode());
    assertArrayEquals(Arrays.copyOfRange(png, 100, png.length), res.body());
  }

  @Test
  void aRangeBeyondTheEndGets416AndOddRangesTheWholeFile() throws Exception {
    HttpResponse<byte[]> res = get("/uploads/" + sha + ".png", "Range", "bytes=" + png.length + "-");
    assertEquals(416, res.statusCode());
    assertHeader(res, "content-range", "bytes */" + png.length);
    assertEquals(200, get("/uploads/" + sha + ".png", "Range", "bytes=0-1,5-6").statusCode());
    assertEquals(200, get("/uploads/" + sha + ".png", "Range", "items=0-1").statusCode());
    res = get("/uploads/" + sha + ".png", "Range", "bytes=0-9", "If-Range", "\"something-else\"");
    assertEquals(200, res.statusCode(), "a stale If-Range gets the whole file");
    assertArrayEquals(png, res.body());
    assertEquals(206, get("/uploads/" + sha + ".png", "Range", "bytes=0-9", "If-Range", "\"" + sha + "\"").statusCode());
  }

  @Test
  void aMatchingIfNoneMatchGets304WithoutABody() throws Exception {
    for (String tag : List.of("\"" + sha + "\"", "W/\"" + sha + "\"", "\"other\", \"" + sha + "\"", "*")) {
      HttpResponse<byte[]> res = get("/uploads/" + sha + ".png", "If-None-Match", tag);
      assertEquals(304, res.statusCode(), tag);
      assertEquals(0, res.body().length);
      assertHeader(res, "etag", "\"" + sha + "\"");
      assertHeader(res, "cache-control", "public, max-age=31536000, immutable");
    }
    assertEquals(200, get("/uploads/" + sha + ".png", "If-None-Match", "\"other\"").statusCode());
    assertEquals(404, get("/uploads/" + "0".repeat(64) + ".png", "If-None-Match", "*").statusCode());
  }

  @Test
  void headAnswersWithTheHeadersAlone() throws Exception {
    HttpResponse<Void> res = client.send(HttpRequest.newBuilder(uri("/uploads/" + sha + ".png"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    assertEquals(200, res.statusCode());
    assertEquals(Integer.toString(png.length), res.headers().firstValue("content-length").orElse(""));
    assertEquals("image/png", res.headers().firstValue("content-type").orElse(""));
    assertEquals("\"" + sha + "\"", res.headers().firstValue("etag").orElse(""));
    String raw = raw("HEAD", "/uploads/" + sha + ".png");
    assertTrue(raw.endsWith("\r\n\r\n"), "no body after the headers: " + raw);
  }

  @Test
  void traversalsDirectoriesAndAnythingOffPatternAre404AndNothingIsListed() throws Exception {
    Files.writeString(storeRoot().getParent().resolve("secret.txt"), "top secret");
    storeThumbnail(256, sha, jpeg(8, 8));
    String shard = sha.substring(0, 2);
    List<String> paths = List.of(
        "/uploads/", "/uploads", "/uploads/thumbs/", "/uploads/thumbs/256/", "/uploads/thumbs/256/" + shard + "/",
        "/uploads/originals/" + shard + "/" + sha + ".png", "/uploads/" + shard + "/" + sha + ".png",
        "/uploads/../secret.txt", "/uploads/../../secret.txt", "/uploads/%2e%2e/secret.txt", "/uploads/..%2fsecret.txt",
        "/uploads/%2E%2E%2F%2E%2E%2Fsecret.txt", "/uploads//../secret.txt", "/uploads/thumbs/256/../../" + sha + ".png",
        "/uploads/" + sha.toUpperCase() + ".png", "/uploads/" + sha + ".PNG", "/uploads/" + sha + ".png/",
        "/uploads/" + sha + ".png%00.html", "/uploads/" + sha + ".svg", "/uploads/" + sha + ".html",
        "/uploads//" + sha + ".png", "/uploads/./" + sha + ".png", "/uploads/" + sha.substring(1) + ".png",
        "/uploads/tmp/", "/uploads/" + sha + ".png?download=../../secret.txt#x");
    for (String path : paths) {
      String answer = raw("GET", path);
      String status = answer.substring(0, answer.indexOf("\r\n"));
      if (handedOn(answer)) {
        // the path left /uploads once normalised, and the front door sent it elsewhere: it must
        // still not be a file of the store, nor anything beside it
        assertFalse(answer.contains("top secret"), path);
        assertFalse(answer.contains("IHDR"), "no image bytes for " + path);
        continue;
      }
      boolean query = path.contains("?");
      if (query) {
        assertTrue(status.contains(" 200 "), "a query string does not change the file: " + status);
        continue;
      }
      assertTrue(status.contains(" 404 "), path + " -> " + status);
      assertFalse(answer.contains("top secret"), path);
      assertFalse(answer.contains("IHDR"), "no image bytes for " + path);
      assertTrue(answer.contains("content-type: application/problem+json"), "a problem, not a listing, for " + path);
    }
  }

  @Test
  void aFileNotStoredOrADirectoryInItsPlaceIsA404WithoutTheFilesCachingHeaders() throws Exception {
    Path stored;
    try (var files = Files.walk(storeRoot())) {
      stored = files.filter(f -> f.getFileName().toString().equals(sha + ".png")).findFirst().orElseThrow();
    }
    String last = sha.substring(63).equals("0") ? "1" : "0";
    String missing = sha.substring(0, 63) + last;
    String directory = sha.substring(0, 62) + (sha.charAt(62) == '0' ? "1" : "0") + last;
    Files.createDirectories(stored.resolveSibling(directory + ".png"));
    for (String name : List.of(missing, directory)) {
      for (String method : List.of("GET", "HEAD")) {
        String answer = raw(method, "/uploads/" + name + ".png");
        assertTrue(answer.startsWith("HTTP/1.1 404"), method + " " + name + ": " + answer);
        String head = answer.toLowerCase(java.util.Locale.ROOT);
        assertFalse(head.contains("immutable") || head.contains("\r\netag:"), "no caching headers on a 404: " + answer);
      }
    }
    // and the stored file beside them still is what it was
    HttpResponse<byte[]> ok = get("/uploads/" + sha + ".png");
    assertEquals(200, ok.statusCode());
    assertTrue(Arrays.equals(png, ok.body()));
  }

  @Test
  void otherMethodsAreNotAllowed() throws Exception {
    String answer = raw("DELETE", "/uploads/" + sha + ".png");
    assertTrue(answer.startsWith("HTTP/1.1 405"), answer);
    assertTrue(originalStored(sha, "png"));
  }

  private void put(byte[] data, String extension) throws Exception {
    storeOriginal(data, sha256(data), extension);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Sends the path byte for byte, as no client library would normalise it. */
  private String raw(String method, String path) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  private static void assertHeader(HttpResponse<?> res, String name, String expected) {
    assertEquals(expected, res.headers().firstValue(name).orElse(null), name);
  }

  public static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  private static byte[] png(int w, int h) throws IOException {
    return encode(w, h, "png");
  }

  private static byte[] jpeg(int w, int h) throws IOException {
    return encode(w, h, "jpg");
  }

  private static byte[] gif(int w, int h) throws IOException {
    return encode(w, h, "gif");
  }

  private static byte[] encode(int w, int h, String format) throws IOException {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < w; x++) {
      for (int y = 0; y < h; y++) {
        image.setRGB(x, y, (x * 7 + y * 13) & 0xffffff);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, format, out);
    return out.toByteArray();
  }
}
