package io.shutterbus.testkit.images;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * JPEGs as phones write them, for tests of what strangers can fetch: right after SOI an EXIF APP1
 * whose IFD0 holds an orientation and points to a GPS IFD (latitude reference and a map datum of
 * {@link #GPS_SECRET}), then a comment naming the place. Nothing a stranger can fetch may contain
 * {@link #GPS_SECRET}.
 */
public final class PhonePhotos {
  public static final String GPS_SECRET = "GPS-SECRET-PLACE";

  private PhonePhotos() {
  }

  /** {@code image} as a JPEG with the phone's metadata; {@code orientation} 1-8 as EXIF says. */
  public static byte[] jpegWithGps(BufferedImage image, int orientation) {
    byte[] jpeg;
    try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      ImageIO.write(image, "jpeg", out);
      jpeg = out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] datum = (GPS_SECRET + "\0").getBytes(StandardCharsets.US_ASCII);
    int gpsIfd = 8 + 2 + 2 * 12 + 4;
    int datumAt = gpsIfd + 2 + 2 * 12 + 4;
    ByteBuffer tiff = ByteBuffer.allocate(datumAt + datum.length);
    tiff.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
    tiff.putShort((short) 2);
    tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
    tiff.putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(gpsIfd);
    tiff.putInt(0);
    tiff.putShort((short) 2);
    tiff.putShort((short) 0x0001).putShort((short) 2).putInt(2).put("N\0\0\0".getBytes(StandardCharsets.US_ASCII));
    tiff.putShort((short) 0x0012).putShort((short) 2).putInt(datum.length).putInt(datumAt);
    tiff.putInt(0).put(datum);
    byte[] exif = segment(0xE1, concat("Exif\0\0".getBytes(StandardCharsets.US_ASCII), tiff.array()));
    byte[] comment = segment(0xFE, ("at " + GPS_SECRET).getBytes(StandardCharsets.US_ASCII));
    return concat(Arrays.copyOf(jpeg, 2), exif, comment, Arrays.copyOfRange(jpeg, 2, jpeg.length));
  }

  /** Whether {@code data} holds the secret anywhere (EXIF, comment, XMP or trailer alike). */
  public static boolean revealsThePlace(byte[] data) {
    return new String(data, StandardCharsets.ISO_8859_1).contains(GPS_SECRET);
  }

  private static byte[] segment(int marker, byte[] payload) {
    return concat(new byte[] {(byte) 0xFF, (byte) marker, (byte) ((payload.length + 2) >>> 8), (byte) (payload.length + 2)},
        payload);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
