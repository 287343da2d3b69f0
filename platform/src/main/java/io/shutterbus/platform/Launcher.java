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
      platform = Platform.create(Env.system());
    } catch (Throwable t) {
      ServiceRunner.failStart("shutterbus", t);
      System.exit(1);
      return;
    }
    // In place before anything starts: a SIGTERM during start-up still stops everything started.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (platform.stop()) {
        System.out.println("Shutterbus stopped");
      }
    }, "shutterbus-shutdown"));
    try {
      platform.start(System.out);
      HeapAdvice.forThisJvm().ifPresent(line -> org.slf4j.LoggerFactory.getLogger(Launcher.class).warn(line));
    } catch (Throwable t) {
      ServiceRunner.failStart("shutterbus", t);
      System.exit(1);
    }
  }
}
