package io.shutterbus.image.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.image.TestImages;
import io.shutterbus.image.store.ContentStore;
import io.shutterbus.kit.http.Routers;
import io.shutterbus.testkit.http.Multipart;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The receiver behind a tiny router that stores what it receives and answers with what it stored. */
class UploadReceiverTest {
  private static final long MIB = 1024 * 1024;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  @TempDir
  Path dir;
  private Path storeRoot;
  private ContentStore store;
  private Vertx vertx;
  private int port;
  private final List<String> blocked = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void loadJsonCodec() {
    // Jackson's one-time class initialisation would otherwise count as a blocked event loop in the first test
    new JsonObject(new JsonObject().put("warm", "up").encode());
  }

  @BeforeEach
  void start() throws Exception {
    storeRoot = dir.resolve("a/b/store");
    store = ContentStore.open(storeRoot);
    vertx = Vertx.builder().with(new VertxOptions().setBlockedThreadCheckInterval(50)
        .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
        .setMaxEventLoopExecuteTime(100).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)).build();
    ((VertxInternal) vertx).blockedThreadChecker().setThreadBlockedHandler(event -> blocked.add(event + " at\n  "
        + Arrays.stream(event.thread().getStackTrace()).limit(20).map(Object::toString).collect(Collectors.joining("\n  "))));
    UploadReceiver receiver = new UploadReceiver(vertx, store, new UploadLimits(20 * MIB, 40_000_000, 1L << 30, 1000));
    Router router = Routers.create(vertx);
    router.post("/upload").handler(ctx -> receiver.receive(ctx)
        .compose(up -> vertx.executeBlocking(() -> {
          boolean fresh = store.putOriginal(up.tempFile(), up.sha256(), up.format());
          return new JsonObject().put("sha256", up.sha256()).put("bytes", up.bytes()).put("format", up.format().id())
              .put("width", up.width()).put("height", up.height()).put("purpose", up.purpose().id())
              .put("fresh", fresh).put("tempFile", up.tempFile().toString())
              .put("stored", storeRoot.relativize(store.originalPath(up.sha256(), up.format())).toString());
        }))
        .onSuccess(ctx::json)
        .onFailure(ctx::fail));
    port = vertx.createHttpServer().requestHandler(router).listen(0).await().actualPort();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
    assertEquals(List.of(), blocked, "no event loop was blocked for 100 ms or more");
  }

  @Test
  void aPngIsStreamedHashedAndStoredUnderItsHash() throws Exception {
    byte[] png = TestImages.png(300, 200);
    HttpResponse<String> res = post(new Multipart().file("image", "holiday.png", "image/png", png).build());
    assertEquals(200, res.statusCode(), res.body());
    JsonObject body = new JsonObject(res.body());
    String sha = sha256(png);
    assertEquals(sha, body.getString("sha256"));
    assertEquals(png.length, body.getLong("bytes"));
    assertEquals("png", body.getString("format"));
    assertEquals(300, body.getInteger("width"));
    assertEquals(200, body.getInteger("height"));
    assertEquals("gallery", body.getString("purpose"));
    assertEquals("originals/" + sha.substring(0, 2) + "/" + sha + ".png", body.getString("stored"));
    assertArrayEquals(png, Files.readAllBytes(storeRoot.resolve(body.getString("stored"))));
    assertTempDirEmptySoon();
  }

  @Test
  void aLargeUploadIsStreamedWhole() throws Exception {
    byte[] big = TestImages.concat(TestImages.png(64, 64), new byte[(int) (15 * MIB)]);
    HttpResponse<String> res = client.send(request()
        .POST(HttpRequest.BodyPublishers.ofInputStream(
            () -> new ByteArrayInputStream(new Multipart().file("image", "big.png", "image/png", big).build())))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, res.statusCode(), res.body());
    assertEquals(sha256(big), new JsonObject(res.body()).getString("sha256"));
    assertEquals(big.length, new JsonObject(res.body()).getLong("bytes"));
  }

  @Test
  void theClientsFileNameNeverReachesAPath() throws Exception {
    byte[] gif = TestImages.gif(20, 10);
    for (String name : List.of("../../etc/passwd", "a/b.png", "..\\..\\x.png", "/etc/shadow", "%2e%2e%2fx",
        "x\u0000.png", "../../tmp/\u0000")) {
      HttpResponse<String> res = post(new Multipart().file("image", name, "image/gif", gif).build());
      assertEquals(200, res.statusCode(), name + ": " + res.body());
      String sha = sha256(gif);
      assertEquals("originals/" + sha.substring(0, 2) + "/" + sha + ".gif", new JsonObject(res.body()).getString("stored"));
      assertTrue(Path.of(new JsonObject(res.body()).getString("tempFile")).startsWith(store.tempDir()));
    }
    try (Stream<Path> files = Files.walk(dir)) {
      List<Path> regular = files.filter(Files::isRegularFile).collect(Collectors.toList());
      assertEquals(List.of(store.originalPath(sha256(gif), io.shutterbus.image.format.ImageFormat.GIF)), regular,
          "the only file written anywhere is the blob named by its hash");
    }
  }

  @Test
  void aFileOver20MiBGets413AndTheClientGetsItsAnswer() throws Exception {
    byte[] body = new Multipart().file("image", "huge.png", "image/png",
        TestImages.concat(TestImages.png(64, 64), new byte[(int) (25 * MIB)])).build();
    long started = System.nanoTime();
    HttpResponse<String> res = client.send(request()
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))  // chunked: no length up front
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(413, res.statusCode(), res.body());
    JsonObject problem = new JsonObject(res.body());
    assertEquals("https://shutterbus.dev/problems/payload-too-large", problem.getString("type"));
    assertEquals("image", problem.getString("field"));
    assertEquals(20 * MIB, problem.getLong("limitBytes"));
    assertTrue(problem.getString("detail").contains("20 MiB"), problem.getString("detail"));
    assertEquals("close", res.headers().firstValue("connection").orElse(""));
    assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) < 10, "answered promptly");
    assertTempDirEmptySoon();
  }

  @Test
  void aDeclaredLengthOver20MiBGets413BeforeTheBodyIsSent() throws Exception {
    // raw socket: the JDK 17 HttpClient never returns when 100-continue is answered with a final status (JDK-8286171)
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + Multipart.CONTENT_TYPE
          + "\r\nContent-Length: " + 25 * MIB + "\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      long started = System.nanoTime();
      String answer = readUntilClosed(socket.getInputStream());
      assertTrue(answer.startsWith("HTTP/1.1 413"), "no 100 Continue, the final answer at once: " + answer);
      assertTrue(answer.contains("\"field\":\"image\""), answer);
      assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) <= 5, "and the connection is closed");
    }
  }

  @Test
  void aClientThatStallsAfterPassingTheLimitIsAnsweredAndDisconnected() throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + Multipart.CONTENT_TYPE
          + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      byte[] start = new Multipart().file("image", "x.png", "image/png", TestImages.png(8, 8)).build();
      writeChunk(out, Arrays.copyOf(start, start.length - (Multipart.BOUNDARY.length() + 6)));  // part not closed
      byte[] zeros = new byte[(int) MIB];
      for (int i = 0; i < 21; i++) {
        writeChunk(out, zeros);
      }
      out.flush();
      long started = System.nanoTime();
      // now the client goes quiet without finishing the body
      String answer = readUntilClosed(socket.getInputStream());
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
      assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
      assertTrue(answer.contains("payload-too-large"), answer);
      assertTrue(seconds <= 5, "the server closed the connection after " + seconds + " s");
    }
  }

  @Test
  void aTextFileNamedPngGets415() throws Exception {
    HttpResponse<String> res = post(new Multipart()
        .file("image", "cat.png", "image/png", "I am not a picture, just text.\n".getBytes(StandardCharsets.UTF_8)).build());
    assertProblem(res, 415, "unsupported-media-type", "plain text");
  }

  @Test
  void anSvgGets415() throws Exception {
    byte[] svg = ("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">"
        + "<script>alert(document.cookie)</script></svg>").getBytes(StandardCharsets.UTF_8);
    assertProblem(post(new Multipart().file("image", "logo.svg", "image/svg+xml", svg).build()),
        415, "unsupported-media-type", "SVG");
    assertProblem(post(new Multipart().file("image", "logo.png", "image/png", svg).build()),
        415, "unsupported-media-type", "SVG");
  }

  @Test
  void anHtmlPolyglotGets415() throws Exception {
    byte[] gifHtml = TestImages.concat(TestImages.ascii("GIF89a"), new byte[] {10, 0, 10, 0, 0, 0, 0},
        new byte[] {0x2C, 0, 0, 0, 0, 10, 0, 10, 0, 0}, TestImages.ascii("<html><script>alert(1)</script>"));
    assertProblem(post(new Multipart().file("image", "x.gif", "image/gif", gifHtml).build()),
        415, "unsupported-media-type", "polyglot");
  }

  @Test
  void a1KbPngDeclaring50000By50000Gets422() throws Exception {
    byte[] bomb = TestImages.pngDeclaring(50_000, 50_000, 1024);
    assertProblem(post(new Multipart().file("image", "bomb.png", "image/png", bomb).build()),
        422, "too-many-pixels", "50000 x 50000");
  }

  @Test
  void aTruncatedHeaderGets422() throws Exception {
    byte[] cut = Arrays.copyOf(TestImages.png(10, 10), 20);
    assertProblem(post(new Multipart().file("image", "cut.png", "image/png", cut).build()),
        422, "malformed-image", "truncated");
  }

  @Test
  void aJpegWithHugeMetadataBeforeItsFrameHeaderIsStillMeasured() throws Exception {
    byte[] jpeg = TestImages.jpeg(90, 70);
    byte[] app2 = ByteBuffer.allocate(4 + 65_000).put((byte) 0xFF).put((byte) 0xE2).putShort((short) 65_002)
        .put(new byte[65_000]).array();
    byte[] big = TestImages.concat(Arrays.copyOf(jpeg, 2), app2, app2, Arrays.copyOfRange(jpeg, 2, jpeg.length));
    HttpResponse<String> res = post(new Multipart().file("image", "x.jpg", "image/jpeg", big).build());
    assertEquals(200, res.statusCode(), res.body());
    assertEquals(90, new JsonObject(res.body()).getInteger("width"));
    assertEquals(70, new JsonObject(res.body()).getInteger("height"));
    assertEquals("jpeg", new JsonObject(res.body()).getString("format"));
  }

  @Test
  void anEmptyFileOrAMissingFieldIsA400NamingTheField() throws Exception {
    assertProblem(post(new Multipart().file("image", "x.png", "image/png", new byte[0]).build()),
        400, "invalid-field", "empty");
    assertProblem(post(new Multipart().field("purpose", "avatar").build()), 400, "invalid-field", "image");
    assertProblem(post(new Multipart().file("photo", "x.png", "image/png", TestImages.png(5, 5)).build()),
        400, "invalid-field", "image");
  }

  @Test
  void twoImagesInOneRequestAreRefused() throws Exception {
    byte[] png = TestImages.png(5, 5);
    assertProblem(post(new Multipart().file("image", "1.png", "image/png", png).file("image", "2.png", "image/png", png).build()),
        400, "invalid-field", "one image");
    assertTempDirEmptySoon();
  }

  @Test
  void theAvatarPurposeIsCarriedAndAnUnknownOneRefused() throws Exception {
    byte[] png = TestImages.png(5, 5);
    HttpResponse<String> res = post(new Multipart().field("purpose", "avatar").file("image", "me.png", "image/png", png).build());
    assertEquals(200, res.statusCode(), res.body());
    assertEquals("avatar", new JsonObject(res.body()).getString("purpose"));
    res = post(new Multipart().file("image", "me.png", "image/png", png).field("purpose", "avatar").build());
    assertEquals("avatar", new JsonObject(res.body()).getString("purpose"), "the field may come after the file too");
    JsonObject problem = assertProblem(post(new Multipart().file("image", "me.png", "image/png", png)
        .field("purpose", "wallpaper").build()), 400, "invalid-field", "avatar");
    assertEquals("purpose", problem.getString("field"));
    assertTempDirEmptySoon();
  }

  @Test
  void aBodyThatIsNotMultipartGets415() throws Exception {
    HttpResponse<String> res = client.send(request().setHeader("Content-Type", "image/png")
        .POST(HttpRequest.BodyPublishers.ofByteArray(TestImages.png(5, 5))).build(), HttpResponse.BodyHandlers.ofString());
    assertProblem(res, 415, "unsupported-media-type", "multipart/form-data");
  }

  private JsonObject assertProblem(HttpResponse<String> res, int status, String slug, String detailContains) {
    assertEquals(status, res.statusCode(), res.body());
    assertEquals("application/problem+json", res.headers().firstValue("content-type").orElse(""));
    JsonObject problem = new JsonObject(res.body());
    assertEquals("https://shutterbus.dev/problems/" + slug, problem.getString("type"), res.body());
    assertTrue(problem.getString("detail").contains(detailContains), problem.getString("detail"));
    assertTrue(problem.containsKey("field"), res.body());
    assertTrue(problem.containsKey("requestId"), res.body());
    return problem;
  }

  private HttpRequest.Builder request() {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/upload"))
        .header("Content-Type", Multipart.CONTENT_TYPE).timeout(Duration.ofSeconds(20));
  }

  private HttpResponse<String> post(byte[] body) throws IOException, InterruptedException {
    return client.send(request().POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void assertTempDirEmptySoon() throws Exception {
    long deadline = System.currentTimeMillis() + 3000;
    List<Path> left;
    do {
      try (Stream<Path> files = Files.list(store.tempDir())) {
        left = files.collect(Collectors.toList());
      }
      if (left.isEmpty()) {
        return;
      }
      Thread.sleep(50);
    } while (System.currentTimeMillis() < deadline);
    assertEquals(List.of(), left, "temp files left behind");
  }

  private static void writeChunk(OutputStream out, byte[] data) throws IOException {
    out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(data);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  private static String readUntilClosed(InputStream in) throws IOException {
    byte[] all = in.readAllBytes();  // returns at EOF; a hang would hit the socket timeout instead
    return new String(all, StandardCharsets.ISO_8859_1);
  }

  static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }
}
