package io.shutterbus.image.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.image.TestImages;
import io.shutterbus.image.format.ImageFormat;
import io.shutterbus.image.store.ContentStore;
import io.vertx.core.json.JsonObject;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThumbnailRendererTest {
  @TempDir
  Path dir;
  private ContentStore store;
  private ThumbnailRenderer renderer;

  @BeforeEach
  void open() throws Exception {
    store = ContentStore.open(dir);
    renderer = new ThumbnailRenderer(store, 40_000_000);
  }

  @Test
  void aPngGetsJpegThumbnailsOf256And1024AlongItsLongestEdge() throws Exception {
    byte[] png = TestImages.png(3000, 1500);
    String sha = put(png, ImageFormat.PNG);
    RenderResult result = renderer.render(sha, ImageFormat.PNG);

    assertEquals(List.of(new Thumbnail(256, 256, 128), new Thumbnail(1024, 1024, 512)), result.thumbnails());
    BufferedImage small = thumbnail(256, sha);
    assertEquals(256, small.getWidth());
    assertEquals(128, small.getHeight());
    assertColor(TestImages.LEFT, small.getRGB(10, 64));
    assertColor(TestImages.RIGHT, small.getRGB(245, 64));
    BufferedImage large = thumbnail(1024, sha);
    assertEquals(1024, large.getWidth());
    assertEquals(512, large.getHeight());

    ImageMetadata m = result.metadata();
    assertEquals(new ImageMetadata(3000, 1500, ImageFormat.PNG, png.length, 1, null, null, null), m);
    assertTempDirEmpty();
  }

  @Test
  void aSmallImageIsNeverUpscaled() throws Exception {
    String sha = put(TestImages.png(100, 50), ImageFormat.PNG);
    RenderResult result = renderer.render(sha, ImageFormat.PNG);
    assertEquals(List.of(new Thumbnail(256, 100, 50), new Thumbnail(1024, 100, 50)), result.thumbnails());
    assertEquals(100, thumbnail(1024, sha).getWidth());
  }

  @Test
  void transparencyBecomesWhite() throws Exception {
    String sha = put(TestImages.pngWithTransparency(40, 20), ImageFormat.PNG);
    renderer.render(sha, ImageFormat.PNG);
    BufferedImage thumb = thumbnail(256, sha);
    assertColor(new Color(0, 160, 0), thumb.getRGB(5, 10));
    assertColor(Color.WHITE, thumb.getRGB(35, 10));
  }

  @Test
  void exifOrientationIsAppliedAndCameraAndDateAreRead() throws Exception {
    // stored 400 x 200, red left, blue right; orientation 6 means "turn 90 degrees clockwise to display"
    byte[] jpeg = TestImages.jpegWithExif(400, 200, 6, "Canon", "Canon EOS 5D\u0007", "2024:05:01 12:34:56");
    String sha = put(jpeg, ImageFormat.JPEG);
    RenderResult result = renderer.render(sha, ImageFormat.JPEG);

    ImageMetadata m = result.metadata();
    assertEquals(200, m.width());
    assertEquals(400, m.height());
    assertEquals(6, m.orientation());
    assertEquals("Canon", m.cameraMake());
    assertEquals("Canon EOS 5D", m.cameraModel(), "control characters are dropped");
    assertEquals(LocalDateTime.of(2024, 5, 1, 12, 34, 56), m.takenAt());
    assertEquals(List.of(new Thumbnail(256, 128, 256), new Thumbnail(1024, 200, 400)), result.thumbnails());

    BufferedImage thumb = thumbnail(256, sha);
    assertEquals(128, thumb.getWidth());
    assertEquals(256, thumb.getHeight());
    assertColor(TestImages.LEFT, thumb.getRGB(64, 20));   // the left of the stored picture is now on top
    assertColor(TestImages.RIGHT, thumb.getRGB(64, 236));

    JsonObject json = result.toJson();
    assertEquals("Canon", json.getJsonObject("camera").getString("make"));
    assertEquals("2024-05-01T12:34:56", json.getString("takenAt"));
    assertEquals("/uploads/thumbs/256/" + sha + ".jpg", json.getJsonArray("thumbnails").getJsonObject(0).getString("url"));
  }

  @Test
  void everyOrientationMapsTheStoredTopLeftCornerWhereExifSays() {
    BufferedImage src = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
    src.setRGB(0, 0, 0xFFFFFF);  // marks the stored top-left pixel
    int[][] expected = {{}, {0, 0}, {2, 0}, {2, 1}, {0, 1}, {0, 0}, {1, 0}, {1, 2}, {0, 2}};
    for (int o = 1; o <= 8; o++) {
      BufferedImage out = Pixels.orient(src, o);
      int x = expected[o][0];
      int y = expected[o][1];
      assertEquals(o >= 5 ? 2 : 3, out.getWidth(), "orientation " + o);
      assertEquals(0xFFFFFF, out.getRGB(x, y) & 0xFFFFFF, "orientation " + o + " puts it at " + x + "," + y);
    }
  }

  @Test
  void aJpegWithoutExifHasNoCameraOrDate() throws Exception {
    String sha = put(TestImages.jpeg(50, 40), ImageFormat.JPEG);
    ImageMetadata m = renderer.render(sha, ImageFormat.JPEG).metadata();
    assertEquals(1, m.orientation());
    assertNull(m.cameraMake());
    assertNull(m.takenAt());
    assertFalse(new RenderResult(sha, m, List.of()).toJson().containsKey("camera"));
  }

  @Test
  void anAnimatedGifIsRenderedFromItsFirstFrame() throws Exception {
    String sha = put(TestImages.animatedGif(60, 30), ImageFormat.GIF);
    RenderResult result = renderer.render(sha, ImageFormat.GIF);
    assertEquals(60, result.metadata().width());
    assertColor(Color.RED, thumbnail(256, sha).getRGB(30, 15));
  }

  @Test
  void webpLossyLosslessAndAlphaAreDecoded() throws Exception {
    for (String name : List.of("lossy.webp", "lossless.webp")) {
      String sha = put(TestImages.resource(name), ImageFormat.WEBP);
      RenderResult result = renderer.render(sha, ImageFormat.WEBP);
      assertEquals(64, result.metadata().width(), name);
      assertEquals(48, result.metadata().height(), name);
      BufferedImage thumb = thumbnail(256, sha);
      assertColor(TestImages.LEFT, thumb.getRGB(8, 24));
      assertColor(TestImages.RIGHT, thumb.getRGB(56, 24));
    }
    String sha = put(TestImages.resource("alpha.webp"), ImageFormat.WEBP);
    renderer.render(sha, ImageFormat.WEBP);
    BufferedImage thumb = thumbnail(256, sha);
    assertColor(new Color(0, 128, 0), thumb.getRGB(5, 15));
    assertColor(Color.WHITE, thumb.getRGB(35, 15));
  }

  @Test
  void aLargeImageIsDecodedSubsampledAndStillScaledExactly() throws Exception {
    String sha = put(TestImages.png(4200, 2100), ImageFormat.PNG);
    RenderResult result = renderer.render(sha, ImageFormat.PNG);
    assertEquals(4200, result.metadata().width());
    assertEquals(List.of(new Thumbnail(256, 256, 128), new Thumbnail(1024, 1024, 512)), result.thumbnails());
    assertColor(TestImages.RIGHT, thumbnail(1024, sha).getRGB(1000, 256));
  }

  @Test
  void aTruncatedPngWithAValidHeaderIsUndecodable() throws Exception {
    byte[] png = TestImages.noisyPng(300, 300);
    String sha = put(Arrays.copyOf(png, png.length / 2), ImageFormat.PNG);
    UndecodableImageException e = assertThrows(UndecodableImageException.class, () -> renderer.render(sha, ImageFormat.PNG));
    assertTrue(e.permanent());
    assertTrue(e.reason().contains("truncated"), e.reason());
    assertFalse(Files.exists(store.thumbnailPath(256, sha)), "no half-made thumbnail");
    assertTempDirEmpty();
  }

  @Test
  void aTruncatedJpegIsUndecodable() throws Exception {
    byte[] jpeg = TestImages.encode(noise(400, 300), "jpeg");
    String sha = put(Arrays.copyOf(jpeg, jpeg.length / 2), ImageFormat.JPEG);
    UndecodableImageException e = assertThrows(UndecodableImageException.class, () -> renderer.render(sha, ImageFormat.JPEG));
    assertTrue(e.reason().contains("truncated"), e.reason());
  }

  @Test
  void aTruncatedGifAndWebpAreUndecodable() throws Exception {
    byte[] gif = TestImages.encode(noise(200, 200), "gif");
    String gifSha = put(Arrays.copyOf(gif, gif.length / 2), ImageFormat.GIF);
    assertThrows(UndecodableImageException.class, () -> renderer.render(gifSha, ImageFormat.GIF));
    byte[] webp = TestImages.resource("lossy.webp");
    String webpSha = put(Arrays.copyOf(webp, 40), ImageFormat.WEBP);
    assertThrows(UndecodableImageException.class, () -> renderer.render(webpSha, ImageFormat.WEBP));
  }

  @Test
  void garbageAfterAValidHeaderIsUndecodable() throws Exception {
    byte[] png = TestImages.png(50, 50);
    byte[] broken = png.clone();
    for (int i = 41; i < broken.length - 12; i++) {
      broken[i] = (byte) (i * 31);
    }
    String sha = put(broken, ImageFormat.PNG);
    assertThrows(UndecodableImageException.class, () -> renderer.render(sha, ImageFormat.PNG));
  }

  @Test
  void thePixelBudgetIsCheckedAgainBeforeDecoding() throws Exception {
    String sha = put(TestImages.pngDeclaring(50_000, 50_000, 1024), ImageFormat.PNG);
    UndecodableImageException e = assertThrows(UndecodableImageException.class, () -> renderer.render(sha, ImageFormat.PNG));
    assertTrue(e.reason().contains("50000 x 50000"), e.reason());
  }

  @Test
  void aFileThatIsNotTheFormatItWasStoredAsIsUndecodable() throws Exception {
    String sha = put(TestImages.png(10, 10), ImageFormat.JPEG);
    UndecodableImageException e = assertThrows(UndecodableImageException.class, () -> renderer.render(sha, ImageFormat.JPEG));
    assertTrue(e.reason().contains("png"), e.reason());
  }

  @Test
  void aMissingOriginalIsItsOwnPermanentFailure() {
    MissingOriginalException e = assertThrows(MissingOriginalException.class,
        () -> renderer.render("0".repeat(64), ImageFormat.PNG));
    assertTrue(e.permanent());
  }

  @Test
  void aStoreThatCannotTakeTheThumbnailIsATransientFailure() throws Exception {
    String sha = put(TestImages.png(20, 20), ImageFormat.PNG);
    Files.writeString(dir.resolve("thumbs/256"), "a file where a directory should be");
    TransientRenderException e = assertThrows(TransientRenderException.class, () -> renderer.render(sha, ImageFormat.PNG));
    assertFalse(e.permanent());
  }

  @Test
  void renderingTwiceGivesTheSameResult() throws Exception {
    String sha = put(TestImages.jpegWithExif(300, 100, 8, "Nikon", "D750", "2023:01:02 03:04:05"), ImageFormat.JPEG);
    RenderResult first = renderer.render(sha, ImageFormat.JPEG);
    byte[] thumb = Files.readAllBytes(store.thumbnailPath(1024, sha));
    RenderResult second = renderer.render(sha, ImageFormat.JPEG);
    assertEquals(first, second);
    assertTrue(Arrays.equals(thumb, Files.readAllBytes(store.thumbnailPath(1024, sha))));
    assertTempDirEmpty();
  }

  private String put(byte[] data, ImageFormat format) throws Exception {
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    Path tmp = store.newTempFile();
    Files.write(tmp, data);
    store.putOriginal(tmp, sha, format);
    return sha;
  }

  private BufferedImage thumbnail(int size, String sha) throws Exception {
    return ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(store.thumbnailPath(size, sha))));
  }

  private static BufferedImage noise(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    java.util.Random r = new java.util.Random(7);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, r.nextInt(0x1000000));
      }
    }
    return img;
  }

  private static void assertColor(Color expected, int rgb) {
    Color actual = new Color(rgb);
    int distance = Math.abs(expected.getRed() - actual.getRed()) + Math.abs(expected.getGreen() - actual.getGreen())
        + Math.abs(expected.getBlue() - actual.getBlue());
    assertTrue(distance < 60, "expected about " + expected + " but was " + actual);
  }

  private void assertTempDirEmpty() throws Exception {
    try (Stream<Path> files = Files.list(store.tempDir())) {
      assertEquals(0, files.count());
    }
  }
}
