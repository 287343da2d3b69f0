package io.shutterbus.platform;

import io.shutterbus.kit.config.ConfigException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Fails before anything starts when a port the platform needs is taken, naming its variable. */
final class PortCheck {
  private PortCheck() {
  }

  static void requireFree(String host, int port, String variable) {
    if (port == 0) {
      return;
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
    } catch (IOException e) {
      throw new ConfigException("port " + port + " is already in use; set " + variable + " to move it");
    }
  }
}
