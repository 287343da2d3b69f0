package io.shutterbus.kit.http;

import io.shutterbus.kit.config.ConfigException;
import io.shutterbus.kit.run.Shutdown;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.net.BindException;

/** Starts HTTP servers so that a taken port fails with one line naming the port and its variable. */
public final class Servers {
  private Servers() {
  }

  public static Future<HttpServer> listen(Vertx vertx, HttpServerOptions options, Handler<HttpServerRequest> handler,
                                          String host, int port, String portVariable) {
    return vertx.createHttpServer(options.setHost(host).setPort(port))
        .requestHandler(handler)
        .listen()
        .onSuccess(s -> Shutdown.enrol(vertx, Shutdown.Stage.HTTP))
        .recover(err -> Future.failedFuture(isBindFailure(err)
            ? new ConfigException("port " + port + " is already in use; set " + portVariable + " to move it")
            : err));
  }

  public static boolean isBindFailure(Throwable err) {
    for (Throwable c = err; c != null; c = c.getCause()) {
      if (c instanceof BindException || String.valueOf(c.getMessage()).contains("Address already in use")) {
        return true;
      }
    }
    return false;
  }
}
