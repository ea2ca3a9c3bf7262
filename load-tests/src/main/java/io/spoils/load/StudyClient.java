package io.spoils.load;

import io.vertx.core.Future;

/**
 * Sends studies to the server over one protocol. Methods are called on the driver's Vert.x context,
 * and the futures complete on it.
 */
interface StudyClient {

  /**
   * Analyses {@code study} once.
   *
   * @param startNanos the request's intended start ({@link System#nanoTime()}), from which the
   *     outcome's times are measured
   * @return the outcome; never a failed future (failures are outcomes)
   */
  Future<Outcome> analyze(int study, long startNanos);

  /** Closes the connections. */
  Future<Void> close();
}
