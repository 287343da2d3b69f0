package io.shutterbus.image.format;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** The buffered reading and counting writing {@link MetadataStripper} walks files with. */
final class StripStreams {
  private StripStreams() {
  }

  /** {@code n} bytes at {@code pos}, or null when the file ends first. */
  static byte[] read(FileChannel in, long pos, int n) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(n);
    while (buf.hasRemaining()) {
      if (in.read(buf, pos + buf.position()) < 0) {
        return null;
      }
    }
    return buf.array();
  }

  /** Copies {@code length} bytes from {@code from} (fewer when the file ends first). */
  static void copy(FileChannel in, long from, long length, OutputStream out) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    long done = 0;
    while (done < length) {
      buf.clear().limit((int) Math.min(buf.capacity(), length - done));
      int n = in.read(buf, from + done);
      if (n < 0) {
        return;
      }
      out.write(buf.array(), 0, n);
      done += n;
    }
  }

  /** Sequential reads through a 64 KiB buffer; -1 / null / false at the end of the file. */
  static final class Input {
    private final FileChannel channel;
    private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024).flip();

    Input(FileChannel channel) {
      this.channel = channel;
    }

    private boolean fill() throws IOException {
      buf.compact();
      int n = channel.read(buf);
      buf.flip();
      return n > 0 || buf.hasRemaining();
    }

    int read() throws IOException {
      if (!buf.hasRemaining() && !fill()) {
        return -1;
      }
      return buf.get() & 0xFF;
    }

    int u16be() throws IOException {
      int hi = read();
      int lo = read();
      return hi < 0 || lo < 0 ? -1 : (hi << 8) | lo;
    }

    byte[] readFully(int n) throws IOException {
      byte[] data = new byte[n];
      int done = 0;
      while (done < n) {
        if (!buf.hasRemaining() && !fill()) {
          return null;
        }
        int k = Math.min(n - done, buf.remaining());
        buf.get(data, done, k);
        done += k;
      }
      return data;
    }

    boolean copy(long n, OutputStream out) throws IOException {
      return transfer(n, out);
    }

    boolean skip(long n) throws IOException {
      return transfer(n, null);
    }

    private boolean transfer(long n, OutputStream out) throws IOException {
      long left = n;
      while (left > 0) {
        if (!buf.hasRemaining() && !fill()) {
          return false;
        }
        int k = (int) Math.min(left, buf.remaining());
        if (out != null) {
          out.write(buf.array(), buf.arrayOffset() + buf.position(), k);
        }
        buf.position(buf.position() + k);
        left -= k;
      }
      return true;
    }
  }

  /** Buffered, counting; the digest sits below it. */
  static final class CountingOutput extends OutputStream {
    private final OutputStream out;
    private final byte[] buf = new byte[64 * 1024];
    private int used;
    private long count;

    CountingOutput(OutputStream out) {
      this.out = out;
    }

    long count() {
      return count;
    }

    @Override
    public void write(int b) throws IOException {
      if (used == buf.length) {
        flushBuffer();
      }
      buf[used++] = (byte) b;
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len > buf.length - used) {
        flushBuffer();
      }
      if (len >= buf.length) {
        out.write(b, off, len);
      } else {
        System.arraycopy(b, off, buf, used, len);
        used += len;
      }
      count += len;
    }

    private void flushBuffer() throws IOException {
      if (used > 0) {
        out.write(buf, 0, used);
        used = 0;
      }
    }

    @Override
    public void flush() throws IOException {
      flushBuffer();
      out.flush();
    }

    @Override
    public void close() throws IOException {
      flush();
      out.close();
    }
  }
}
