package io.shutterbus.platform.images;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-built multipart/form-data bodies, so tests control every byte: file names, types, fields. */
final class Multipart {
  static final String BOUNDARY = "----shutterbus-platform-boundary-41c9";
  static final String CONTENT_TYPE = "multipart/form-data; boundary=" + BOUNDARY;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  Multipart file(String field, String fileName, String contentType, byte[] data) {
    text("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + fileName
        + "\"\r\nContent-Type: " + contentType + "\r\n\r\n");
    out.writeBytes(data);
    text("\r\n");
    return this;
  }

  Multipart field(String name, String value) {
    text("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
    return this;
  }

  byte[] build() {
    text("--" + BOUNDARY + "--\r\n");
    return out.toByteArray();
  }

  private void text(String s) {
    out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }
}
