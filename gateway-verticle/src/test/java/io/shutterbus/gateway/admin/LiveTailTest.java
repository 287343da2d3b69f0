package io.shutterbus.gateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.events.inspect.RecordView;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A live tail to a client that stops reading: the reader is held back once the socket and a bounded
 * queue are full, instead of the gateway buffering every record; when the client reads again,
 * everything arrives in order.
 */
class LiveTailTest {
  private static final int RECORDS = 4000;
  private static final String PAYLOAD = "x".repeat(16 * 1024);
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aClientThatStopsReadingHoldsTheReaderBackAndLosesNothing() throws Exception {
    AtomicInteger delivered = new AtomicInteger();
    AtomicReference<LiveTail> tailRef = new AtomicReference<>();
    HttpServer server = vertx.createHttpServer().requestHandler(req -> {
      req.response().setChunked(true).putHeader("content-type", "text/event-stream");
      LiveTail tail = new LiveTail(req.response(), vertx.getOrCreateContext());
      tailRef.set(tail);
      Thread reader = new Thread(() -> {
        for (int i = 0; i < RECORDS && !tail.cancelled(); i++) {
          tail.deliver(new RecordView("t", 0, i, Instant.EPOCH, "k" + i, Map.of(), PAYLOAD));
          delivered.incrementAndGet();
        }
        tail.finished(null);
      });
      reader.setDaemon(true);
      reader.start();
    }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);

    try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
      socket.setReceiveBufferSize(64 * 1024);
      OutputStream out = socket.getOutputStream();
      out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread.sleep(2000);  // not reading
      int whileStalled = delivered.get();
      assertTrue(whileStalled < RECORDS / 2,
          "the reader was held back while the client did not read (" + whileStalled + " of " + RECORDS + " handed over)");

      InputStream in = socket.getInputStream();
      byte[] buf = new byte[64 * 1024];
      long messages = 0;
      StringBuilder tailOfStream = new StringBuilder();
      int n;
      socket.setSoTimeout(20_000);
      String carry = "";
      while ((n = in.read(buf)) > 0) {
        String text = carry + new String(buf, 0, n, StandardCharsets.US_ASCII);
        int idx = 0;
        while ((idx = text.indexOf("event: message", idx)) >= 0) {
          messages++;
          idx += 1;
        }
        // A match cut by the chunk boundary completes with the next chunk; one shorter than the
        // pattern cannot hold a whole match, so nothing is counted twice.
        carry = text.substring(Math.max(0, text.length() - ("event: message".length() - 1)));
        tailOfStream.setLength(0);
        tailOfStream.append(text, Math.max(0, text.length() - 200), text.length());
        if (tailOfStream.indexOf("event: end") >= 0) {
          break;
        }
      }
      assertEquals(RECORDS, delivered.get());
      assertEquals(RECORDS, messages, "every record reached the client once it read again");
      assertTrue(tailOfStream.indexOf("event: end") >= 0, "the stream ended at the reader's limit");
    }
  }
}
