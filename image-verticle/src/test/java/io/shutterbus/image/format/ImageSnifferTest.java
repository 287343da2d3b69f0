package io.shutterbus.image.format;

import static io.shutterbus.image.TestImages.ascii;
import static io.shutterbus.image.TestImages.concat;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.image.TestImages;
import io.shutterbus.image.format.RejectedImageException.Reason;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageSnifferTest {
  private final ImageSniffer sniffer = new ImageSniffer(40_000_000);

  @Test
  void readsFormatAndSizeOfRealFilesFromTheirHeaders() throws Exception {
    assertEquals(new ImageHeader(ImageFormat.PNG, 120, 80), sniffer.sniff(TestImages.png(120, 80)));
    assertEquals(new ImageHeader(ImageFormat.JPEG, 121, 81), sniffer.sniff(TestImages.jpeg(121, 81)));
    assertEquals(new ImageHeader(ImageFormat.GIF, 33, 17), sniffer.sniff(TestImages.gif(33, 17)));
    assertEquals(new ImageHeader(ImageFormat.GIF, 30, 20), sniffer.sniff(TestImages.animatedGif(30, 20)));
    assertEquals(new ImageHeader(ImageFormat.JPEG, 64, 32),
        sniffer.sniff(TestImages.jpegWithExif(64, 32, 6, "Canon", "EOS 5D", "2024:05:01 12:34:56")));
  }

  @Test
  void readsAllThreeWebpVariants() throws Exception {
    assertEquals(new ImageHeader(ImageFormat.WEBP, 64, 48), sniffer.sniff(TestImages.resource("lossy.webp")));
    assertEquals(new ImageHeader(ImageFormat.WEBP, 64, 48), sniffer.sniff(TestImages.resource("lossless.webp")));
    assertEquals(new ImageHeader(ImageFormat.WEBP, 40, 30), sniffer.sniff(TestImages.resource("alpha.webp")));
  }

  @Test
  void aOneKilobytePngDeclaring50000By50000IsOverTheBudget() {
    byte[] bomb = TestImages.pngDeclaring(50_000, 50_000, 1024);
    assertTrue(bomb.length <= 1100, "the file is about 1 KB: " + bomb.length);
    RejectedImageException e = assertThrows(RejectedImageException.class, () -> sniffer.sniff(bomb));
    assertEquals(Reason.TOO_MANY_PIXELS, e.reason());
    assertEquals(422, e.status());
    assertTrue(e.getMessage().contains("50000 x 50000"), e.getMessage());
    assertTrue(e.getMessage().contains("40000000"), e.getMessage());
  }

  @Test
  void theBudgetIsInclusive() throws Exception {
    ImageSniffer small = new ImageSniffer(100 * 100);
    assertEquals(10_000, small.sniff(TestImages.pngDeclaring(100, 100, 200)).pixels());
    assertEquals(Reason.TOO_MANY_PIXELS,
        assertThrows(RejectedImageException.class, () -> small.sniff(TestImages.pngDeclaring(100, 101, 200))).reason());
  }

  @Test
  void svgHtmlTextAndOtherFormatsAreUnsupportedWhateverTheirName() {
    assertUnsupported(ascii("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"), "SVG");
    assertUnsupported(ascii("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>"), "SVG");
    assertUnsupported(ascii("<!DOCTYPE html><html><body>hi</body></html>"), "HTML");
    assertUnsupported(ascii("just some text, saved as cat.png\n"), "plain text");
    assertUnsupported(ascii("%PDF-1.7\n"), "PDF");
    assertUnsupported(concat(ascii("RIFF"), new byte[4], ascii("WAVEfmt ")), "RIFF");
    assertUnsupported(concat(ascii("BM"), new byte[40]), "BMP");
    assertUnsupported(new byte[] {0x00, 0x01, 0x02, (byte) 0xFE, 0x7F}, "binary");
  }

  @Test
  void markupHiddenBehindAnImageSignatureIsAPolyglotAndUnsupported() {
    byte[] png = TestImages.png(10, 10);
    byte[] polyglot = concat(Arrays.copyOf(png, 33), TestImages.chunk("tEXt", ascii("c\0<script>alert(1)</script>")),
        Arrays.copyOfRange(png, 33, png.length));
    RejectedImageException e = assertThrows(RejectedImageException.class, () -> sniffer.sniff(polyglot));
    assertEquals(Reason.UNSUPPORTED_TYPE, e.reason());
    assertTrue(e.getMessage().contains("polyglot"), e.getMessage());

    byte[] gifHtml = concat(ascii("GIF89a"), new byte[] {10, 0, 10, 0, 0, 0, 0},
        new byte[] {0x2C, 0, 0, 0, 0, 10, 0, 10, 0, 0}, ascii("<html><body onload=alert(1)>"));
    assertEquals(Reason.UNSUPPORTED_TYPE, assertThrows(RejectedImageException.class, () -> sniffer.sniff(gifHtml)).reason());
  }

  @Test
  void markupIsFoundInAnyCaseAmongManyAngleBracketsButNotWhenOnlyItsStartIsThere() {
    byte[] png = TestImages.png(10, 10);
    byte[] brackets = new byte[3000];
    Arrays.fill(brackets, (byte) '<');
    byte[] upper = concat(Arrays.copyOf(png, 33), TestImages.chunk("tEXt", concat(ascii("c\0"), brackets,
        ascii("<IfRaMe src=x>"))), Arrays.copyOfRange(png, 33, png.length));
    RejectedImageException e = assertThrows(RejectedImageException.class, () -> sniffer.sniff(upper));
    assertTrue(e.getMessage().contains("(<iframe...)"), e.getMessage());

    // "<scrip" and lone brackets are no markup: the image is accepted
    byte[] partial = concat(Arrays.copyOf(png, 33), TestImages.chunk("tEXt", concat(ascii("c\0"), brackets,
        ascii("<scrip <svgx <bod."))), Arrays.copyOfRange(png, 33, png.length));
    assertDoesNotThrow(() -> sniffer.sniff(partial));
  }

  @Test
  void anEmptyFileIsAnEmptyField() {
    RejectedImageException e = assertThrows(RejectedImageException.class, () -> sniffer.sniff(new byte[0]));
    assertEquals(Reason.EMPTY, e.reason());
    assertEquals(400, e.status());
  }

  @Test
  void aTruncatedHeaderOfAKnownFormatIsUnprocessableAndSaysSo() {
    byte[] png = TestImages.png(10, 10);
    for (int cut : new int[] {8, 16, 20, 30}) {
      RejectedImageException e = assertThrows(RejectedImageException.class, () -> sniffer.sniff(Arrays.copyOf(png, cut)));
      assertEquals(Reason.MALFORMED_HEADER, e.reason(), "cut at " + cut);
      assertEquals(422, e.status());
      assertTrue(e.getMessage().contains("PNG file is truncated"), e.getMessage());
    }
    assertMalformed(Arrays.copyOf(TestImages.jpeg(10, 10), 10));
    assertMalformed(Arrays.copyOf(TestImages.gif(10, 10), 12));
    assertMalformed(Arrays.copyOf(TestImages.resource("lossy.webp"), 20));
    assertMalformed(Arrays.copyOf(TestImages.resource("alpha.webp"), 26));
  }

  @Test
  void aFileShorterThanAnySignatureIsUnsupported() {
    assertEquals(Reason.UNSUPPORTED_TYPE, assertThrows(RejectedImageException.class,
        () -> sniffer.sniff(new byte[] {(byte) 0x89, 'P', 'N'})).reason());
  }

  @Test
  void inconsistentHeadersAreMalformed() {
    byte[] png = TestImages.png(10, 10);
    png[20] ^= 0x01;  // height changed, IHDR checksum no longer matches
    assertMalformed(png);
    byte[] sosFirst = new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xDA, 0, 8, 1, 2, 3, 4, 5, 6};
    assertMalformed(sosFirst);
    byte[] gifWithoutImage = concat(ascii("GIF89a"), new byte[] {10, 0, 10, 0, 0, 0, 0, 0x3B});
    assertMalformed(gifWithoutImage);
    byte[] zeroWide = TestImages.pngDeclaring(0, 10, 100);
    assertMalformed(zeroWide);
    byte[] riffUnknown = concat(ascii("RIFF"), new byte[] {30, 0, 0, 0}, ascii("WEBPABCD"), new byte[22]);
    assertMalformed(riffUnknown);
  }

  @Test
  void aGifFrameReachingBeyondTheLogicalScreenCountsWithItsFullExtent() throws Exception {
    byte[] gif = concat(ascii("GIF89a"), new byte[] {10, 0, 10, 0, 0, 0, 0},
        new byte[] {0x21, (byte) 0xF9, 4, 0, 0, 0, 0, 0},                        // graphic control extension
        new byte[] {0x2C, 100, 0, 50, 0, (byte) 200, 0, 100, 0, 0});          // frame at (100,50), 200 x 100
    assertEquals(new ImageHeader(ImageFormat.GIF, 300, 150), sniffer.sniff(gif));
  }

  @Test
  void aStreamingHeadSaysWhenItNeedsMoreBytesAndRefusesANonImageAtOnce() throws Exception {
    byte[] png = TestImages.png(50, 40);
    assertEquals(Optional.empty(), sniffer.sniff(png, 5, false));
    assertEquals(Optional.empty(), sniffer.sniff(png, 25, false));
    assertEquals(Optional.of(new ImageHeader(ImageFormat.PNG, 50, 40)), sniffer.sniff(png, png.length, false));
    assertEquals(Optional.of(ImageFormat.PNG), sniffer.signature(png, 8, false));
    byte[] text = ascii("hello");
    assertEquals(Reason.UNSUPPORTED_TYPE,
        assertThrows(RejectedImageException.class, () -> sniffer.signature(text, 5, false)).reason());
  }

  @Test
  void aJpegWhoseFrameHeaderLiesBeyondTheHeadWindowIsReadFromTheFile(@TempDir Path dir) throws Exception {
    byte[] jpeg = TestImages.jpeg(77, 55);
    byte[] bigSegments = concat(app2(60_000), app2(60_000));
    byte[] big = concat(Arrays.copyOf(jpeg, 2), bigSegments, Arrays.copyOfRange(jpeg, 2, jpeg.length));
    byte[] head = Arrays.copyOf(big, ImageSniffer.HEAD_WINDOW);
    assertEquals(Optional.empty(), sniffer.sniff(head, head.length, false));
    Path file = dir.resolve("big.bin");
    Files.write(file, big);
    assertEquals(new ImageHeader(ImageFormat.JPEG, 77, 55), sniffer.sniff(file));
  }

  @Test
  void sniffingAFileChecksTheSameThingsAsSniffingBytes(@TempDir Path dir) throws Exception {
    Path bomb = dir.resolve("bomb");
    Files.write(bomb, TestImages.pngDeclaring(50_000, 50_000, 1024));
    assertEquals(Reason.TOO_MANY_PIXELS, assertThrows(RejectedImageException.class, () -> sniffer.sniff(bomb)).reason());
    Path svg = dir.resolve("x.png");
    Files.write(svg, ascii("<svg xmlns='http://www.w3.org/2000/svg'/>"));
    assertEquals(Reason.UNSUPPORTED_TYPE, assertThrows(RejectedImageException.class, () -> sniffer.sniff(svg)).reason());
    Path truncated = dir.resolve("t");
    Files.write(truncated, Arrays.copyOf(TestImages.gif(10, 10), 11));
    assertEquals(Reason.MALFORMED_HEADER, assertThrows(RejectedImageException.class, () -> sniffer.sniff(truncated)).reason());
  }

  private static byte[] app2(int payload) {
    return ByteBuffer.allocate(4 + payload).put((byte) 0xFF).put((byte) 0xE2).putShort((short) (payload + 2))
        .put(new byte[payload]).array();
  }

  private void assertUnsupported(byte[] bytes, String describedAs) {
    RejectedImageException e = assertThrows(RejectedImageException.class, () -> sniffer.sniff(bytes));
    assertEquals(Reason.UNSUPPORTED_TYPE, e.reason());
    assertEquals(415, e.status());
    assertTrue(e.getMessage().contains(describedAs), e.getMessage());
  }

  private void assertMalformed(byte[] bytes) {
    RejectedImageException e = assertThrows(RejectedImageException.class, () -> sniffer.sniff(bytes));
    assertEquals(Reason.MALFORMED_HEADER, e.reason(), e.getMessage());
    assertEquals(422, e.status());
  }
}
