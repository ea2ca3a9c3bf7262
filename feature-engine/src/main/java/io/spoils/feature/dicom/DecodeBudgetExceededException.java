package io.spoils.feature.dicom;

import io.spoils.feature.InvalidInputException;

/**
 * Input refused because decoding it would pass the study's {@link DecodeLimits} (too many pixels,
 * or deflated data that inflates too far). Unlike other unreadable files, it ends the whole study:
 * skipping such a file and going on would spend the rest of the budget on a partial study. The
 * message names the limit and never carries patient data.
 */
public final class DecodeBudgetExceededException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public DecodeBudgetExceededException(String reason) {
    super(reason);
  }
}
