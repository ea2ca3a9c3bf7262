package io.spoils.gateway.backend;

/**
 * A model repository that cannot be served: missing or unparsable config.pbtxt, a name that does not
 * match its folder, no usable version, a config that does not match its model file. Raised at
 * start-up; the message names the model folder and the problem.
 */
public class ModelRepositoryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ModelRepositoryException(String message) {
    super(message);
  }

  public ModelRepositoryException(String message, Throwable cause) {
    super(message, cause);
  }
}
