/**
 * The simulated inference backend ({@code SPOILS_BACKEND=simulated}): the contract models' shapes
 * answered after a configurable latency with fixed outputs, to measure the gateway without a GPU or
 * model work. Its results are labelled as simulated and are not medical output.
 */
package io.spoils.gateway.backend.simulated;
