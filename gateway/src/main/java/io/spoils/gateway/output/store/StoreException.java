package io.spoils.gateway.output.store;

/**
 * One try to store results failed. The message is the reason as the outcome warning shows it: it
 * names the destination as configured and what went wrong, never a UID or other patient data.
 */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;

  /**
   * @param reason one plain sentence fragment, no patient data
   * @param retryable whether another try may succeed (unreachable, 5xx, timeouts), or not (the
   *     destination refused the objects, bad configuration)
   */
  public StoreException(String reason, boolean retryable) {
    super(reason, null, false, false);
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }
}
