package io.shutterbus.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Free loopback ports for servers a test starts. The kernel may hand the same just-released port
 * out twice, so a port is never given twice in one JVM (two listeners on one port fail to start).
 */
public final class FreePorts {
  private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

  private FreePorts() {
  }

  public static int next() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = probe();
      if (GIVEN.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no fresh free port after 100 attempts");
  }

  private static int probe() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
