package io.shutterbus.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The Python harness's own unit tests (harness/tests), run as part of mvn verify. */
class HarnessTest {
  @Test
  void theHarnessUnitTestsPass() throws Exception {
    Processes.require("python3", "python3");
    Processes.Done done = Processes.run(Paths.module().resolve("harness"), 120,
        "python3", "-m", "unittest", "discover", "-s", "tests", "-t", ".", "-v");
    assertEquals(0, done.exitCode(), done.output());
    assertTrue(done.output().matches("(?s).*Ran [1-9][0-9]* tests.*"), done.output());
  }

  @Test
  void runRefusesAJourneyForHeyWithTheReason() throws Exception {
    Processes.Done done = Processes.run(Paths.module(), 60, "./run", "journey", "--tool", "hey");
    assertEquals(2, done.exitCode(), done.output());
    assertTrue(done.output().contains("journey is a multi-step journey: hey cannot run it"), done.output());
  }

  @Test
  void runRefusesADurationItCannotRead() throws Exception {
    Processes.Done done = Processes.run(Paths.module(), 60, "./run", "me", "--duration", "ten", "--base-url", "http://127.0.0.1:9");
    assertEquals(2, done.exitCode(), done.output());
    assertTrue(done.output().contains("'ten' is not a duration like 500ms, 10s, 2m"), done.output());
  }

  @Test
  void runNamesATargetItCannotReach() throws Exception {
    Processes.Done done = Processes.run(Paths.module(), 60, "./run", "me", "--duration", "1s",
        "--base-url", "http://127.0.0.1:9", "--results", Paths.module().resolve("target/loadtest-results").toString());
    assertEquals(3, done.exitCode(), done.output());
    assertTrue(done.output().contains("preparing the run against http://127.0.0.1:9 failed: [Errno 111] Connection refused"),
        done.output());
  }
}
