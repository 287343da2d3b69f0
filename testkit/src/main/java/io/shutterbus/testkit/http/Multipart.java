package io.shutterbus.testkit.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-built multipart/form-data bodies, so tests control every byte: file names, types, fields. */
public final class Multipart {
  public static final String BOUNDARY = "----shutterbus-test-boundary-7d1f";
  public static final String CONTENT_TYPE = "multipart/form-data; boundary=" + BOUNDARY;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public Multipart file(String field, String fileName, String contentType, byte[] data) {
    text("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + fileName
        + "\"\r\nContent-Type: " + contentType + "\r\n\r\n");
    out.writeBytes(data);
    text("\r\n");
    return this;
  }

  public Multipart field(String name, String value) {
    text("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
    return this;
  }

  public byte[] build() {
    text("--" + BOUNDARY + "--\r\n");
    return out.toByteArray();
  }

  private void text(String s) {
    out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }
}
