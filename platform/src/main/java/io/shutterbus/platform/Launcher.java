package io.shutterbus.platform;

import io.shutterbus.kit.config.Env;
import io.shutterbus.kit.run.ServiceRunner;

/** {@code java -jar platform/target/shutterbus.jar}: the whole platform, stopped by Ctrl-C or SIGTERM. */
public final class Launcher {
  private Launcher() {
  }

  public static void main(String[] args) {
    Platform platform;
    try {
      platform = Platform.start(Env.system(), System.out);
    } catch (Throwable t) {
      ServiceRunner.failStart("shutterbus", t);
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("Shutterbus is stopping");
      platform.close();
      System.out.println("Shutterbus stopped");
    }, "shutterbus-shutdown"));
  }
}
