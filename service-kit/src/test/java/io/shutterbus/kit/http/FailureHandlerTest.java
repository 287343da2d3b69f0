package io.shutterbus.kit.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketException;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Test;

class FailureHandlerTest {

  @Test
  void aQueryWhoseConnectionIsResetWhilePostgresShutsDownIsTheDatabaseBeingAwayNotA500() {
    assertTrue(FailureHandler.isDatabaseUnavailable(new SocketException("Connection reset")));
    assertTrue(FailureHandler.isDatabaseUnavailable(new IllegalStateException("wrapped", new SocketException("Connection reset"))));
  }

  @Test
  void aFullDiskOrAnyOtherIoFailureIsNotBlamedOnTheDatabase() {
    assertFalse(FailureHandler.isDatabaseUnavailable(new FileSystemException("/data/images/tmp", null, "No space left on device")));
    assertFalse(FailureHandler.isDatabaseUnavailable(new IOException("something else")));
  }
}
