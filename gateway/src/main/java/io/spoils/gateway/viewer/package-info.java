/**
 * What the web viewer needs beside the event stream: analyses submitted with
 * {@code Prefer: respond-async} kept in memory by id ({@link io.spoils.gateway.viewer.RecentAnalyses},
 * bounded in count and time by {@code config.RetentionOptions}), each with its events, state and
 * images ({@link io.spoils.gateway.viewer.RetainedAnalysis}), filled by the output format the
 * transport subscribes ({@link io.spoils.gateway.viewer.Submission}), and the analysed slice
 * rendered as a PNG ({@link io.spoils.gateway.viewer.SliceImages}). Knows no transport:
 * {@code server} serves it ({@code RetainedRoutes}) with the viewer's page ({@code ViewerRoutes},
 * files under {@code src/main/resources/io/spoils/gateway/viewer/}). No patient data: ids are the
 * server's own, images carry pixels only, and nothing here logs the study.
 */
package io.spoils.gateway.viewer;
