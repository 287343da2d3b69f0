package io.shutterbus.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for what an HTTP client library will not do: send headers it
 * manages itself (Connection, Forwarded...), or keep writing a body the server has refused, and
 * watch whether the server really closes the connection.
 */
final class RawHttp implements AutoCloseable {
  final Socket socket;
  final OutputStream out;
  final InputStream in;

  /** A parsed answer; {@code closedAfterMs} is when EOF was seen, -1 if the socket stayed open. */
  record Answer(int status, Map<String, String> headers, String body, long closedAfterMs) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  RawHttp(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    out = socket.getOutputStream();
    in = socket.getInputStream();
  }

  void write(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Writes, reporting false instead of throwing once the server has closed or reset the connection. */
  boolean tryWrite(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
      return true;
    } catch (IOException closed) {
      return false;
    }
  }

  /**
   * Reads one answer; then keeps reading until EOF or {@code waitForCloseMs}, to tell whether the
   * server closed the connection.
   */
  Answer read(long waitForCloseMs) throws IOException {
    long t0 = System.nanoTime();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] chunk = new byte[65536];
    long closedAt = -1;
    socket.setSoTimeout((int) Math.max(1, waitForCloseMs));
    while (true) {
      int n;
      try {
        n = in.read(chunk);
      } catch (SocketTimeoutException stillOpen) {
        break;
      } catch (IOException reset) {
        closedAt = (System.nanoTime() - t0) / 1_000_000;
        break;
      }
      if (n < 0) {
        closedAt = (System.nanoTime() - t0) / 1_000_000;
        break;
      }
      buf.write(chunk, 0, n);
    }
    return parse(buf.toString(StandardCharsets.ISO_8859_1), closedAt);
  }

  private static Answer parse(String raw, long closedAt) {
    int headEnd = raw.indexOf("\r\n\r\n");
    if (headEnd < 0) {
      return new Answer(-1, Map.of(), raw, closedAt);
    }
    String[] lines = raw.substring(0, headEnd).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = lines[i].substring(colon + 1).trim();
      headers.merge(name, value, (a, b) -> a + ", " + b);
    }
    String body = raw.substring(headEnd + 4);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = dechunk(body);
    } else if (headers.containsKey("content-length")) {
      body = body.substring(0, Math.min(body.length(), Integer.parseInt(headers.get("content-length"))));
    }
    return new Answer(status, headers, body, closedAt);
  }

  private static String dechunk(String body) {
    StringBuilder out = new StringBuilder();
    int pos = 0;
    while (pos < body.length()) {
      int eol = body.indexOf("\r\n", pos);
      if (eol < 0) {
        break;
      }
      int size = Integer.parseInt(body.substring(pos, eol).split(";")[0].trim(), 16);
      if (size == 0) {
        break;
      }
      out.append(body, eol + 2, Math.min(body.length(), eol + 2 + size));
      pos = eol + 2 + size + 2;
    }
    return out.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
