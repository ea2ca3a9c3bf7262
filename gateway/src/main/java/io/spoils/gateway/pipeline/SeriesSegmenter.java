package io.spoils.gateway.pipeline;

import io.spoils.feature.geometry.SliceAnatomy;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelBox;
import io.spoils.feature.tensor.FloatTensor;
import io.spoils.feature.tensor.SegmentationGrid;
import io.spoils.gateway.backend.InferenceBackend;
import io.spoils.gateway.backend.SegmentationResult;
import io.spoils.gateway.backend.SeriesSegmentation;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The segmentation of a series, in at most three passes, so that a series costs a few one-slice
 * studies rather than one per slice (PERFORMANCE.md, section 5):
 * <ol>
 *   <li>the slice at the series' geometric centre, whole, on the model's 0.8 mm grid (as a
 *       one-slice study); its labelled pixels, grown by {@link SeriesOptions#boxMarginMm()} and
 *       then to whole multiples of the model's 32-pixel padding ({@link PixelBox#fitted}), give the
 *       box where the spine is ({@link PixelBox#around});</li>
 *   <li>every other slice cut to that box (vertebrae with their posterior elements, discs and
 *       canal: a box around the discs and canal alone, a third smaller, moved the choice of the
 *       measured slice, SeriesOptions), z-scored with its whole slice's statistics
 *       ({@link SliceSegmentation#partInput}) and segmented on the grid of
 *       {@link SeriesOptions#outerSliceMm()} (default the model's 0.8 mm); each
 *       is read on that grid for its canal area and disc pieces
 *       ({@link SliceSegmentation#partAnatomy}), which choose the measured slice and sum the disc
 *       volumes ({@link SeriesMeasures}). The slices go in requests of the backend's
 *       {@link InferenceBackend#batchLimit}, pipelined: a request is sent as soon as its inputs are
 *       made and read as soon as it is answered. The centre slice is segmented
 *       again in the box, so that every slice's score comes from the same context (reading its
 *       whole map of pass 1 instead, {@link SeriesOptions#centreBoxed()} false, saves one model
 *       input but moved the measured slice);</li>
 *   <li>only when the measured slice is not the centre slice: that slice again, whole, on the 0.8 mm
 *       grid, so the measured slice is always segmented as a one-slice study would be.</li>
 * </ol>
 * With an infinite {@link SeriesOptions#boxMarginMm()}, or when the centre slice shows no spine,
 * pass 2 segments the slices whole on the 0.8 mm grid; a one-slice series stops after pass 1.
 *
 * <p>CPU work of the outer slices (cropping, resampling, argmax on the grid, slice anatomy) runs in
 * worker tasks per request, up to {@link #CHUNKS} of them making inputs side by side. One
 * instance per analysis; not thread-safe.
 */
final class SeriesSegmenter {

  /** Worker tasks the outer slices' CPU work is split into (at most one per core). */
  static final int CHUNKS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

  /** Pass-2 requests of one series a lane keeps in the backend at a time. */
  static final int OUT_PER_LANE = 2;

  /**
   * The outcome.
   *
   * @param measured the measured slice and why
   * @param measuredMap the measured slice's semantic map, whole, from the 0.8 mm grid
   * @param anatomies one per slice of the series, all read on the pass-2 grid (empty for one
   *     slice)
   * @param model the answer of the first call (model name and version)
   */
  record Segmented(PipelineEvent.MeasuredSlice measured, LabelMap measuredMap,
      List<SliceAnatomy> anatomies, SegmentationResult model) { }

  private final StageRunner run;
  private final InferenceBackend backend;
  private final SeriesSlices series;
  private final int seriesSize;
  private final SeriesOptions options;

  SeriesSegmenter(StageRunner run, InferenceBackend backend, SeriesSlices series, int seriesSize,
      SeriesOptions options) {
    this.run = run;
    this.backend = backend;
    this.series = series;
    this.seriesSize = seriesSize;
    this.options = options;
  }

  /** The centre slice's model input (blocking), for pass 1; run it beside the decoding. */
  List<FloatTensor> centreInput() {
    return List.of(SliceSegmentation.input(centre()));
  }

  /** Passes 1 to 3, from the centre slice's input ({@link #centreInput}). */
  Future<Segmented> segment(List<FloatTensor> centreInput) {
    return call(centreInput).compose(first -> run.blockingSteps(Stage.SEGMENTATION,
        () -> run.inline(Stage.SEGMENTATION,
            () -> SliceSegmentation.semanticMap(first.logits().get(0), centre())))
        .compose(centreMap -> series.size() == 1
            ? Future.succeededFuture(new Segmented(SeriesMeasures.choose(series, List.of(),
                seriesSize), centreMap, List.of(), first))
            : outer(first, centreMap)));
  }

  /** Pass 2, then the choice of the measured slice and pass 3 where needed. */
  private Future<Segmented> outer(SegmentationResult first, LabelMap centreMap) {
    GreyImage centre = centre();
    PixelBox box = Double.isInfinite(options.boxMarginMm()) ? null
        : PixelBox.around(centreMap, options.boxMarginMm(), options.boxMinMm())
            .map(b -> b.fitted(centre.width(), centre.height(), centre.spacing(),
                options.outerSliceMm(), SegmentationGrid.PAD))
            .orElse(null);
    double mm = box == null ? SliceSegmentation.FINE_MM : options.outerSliceMm();
    PixelBox cut = box == null ? PixelBox.whole(centre.width(), centre.height()) : box;
    int centreIndex = series.geometricCentre();
    // The centre slice is segmented again where its pass-2 input differs from pass 1's and the
    // options ask for it (the default); else its whole map of pass 1 is read.
    boolean centreAgain = box != null && options.centreBoxed();
    List<Integer> slices = indices(series.size()).stream()
        .filter(i -> centreAgain || i != centreIndex).toList();
    List<GreyImage> images = series.images();
    return inGroups(slices, i -> SliceSegmentation.partInput(images.get(i), cut, mm),
        (logits, i) -> SliceSegmentation.partAnatomy(logits, cut, centre.spacing(), mm))
        .map(outer -> {
          if (centreAgain) {
            return outer;
          }
          List<SliceAnatomy> all = new ArrayList<>(outer);
          all.add(centreIndex, SliceAnatomy.of(centreMap));
          return List.copyOf(all);
        })
        .compose(anatomies -> {
          PipelineEvent.MeasuredSlice measured = SeriesMeasures.choose(series, anatomies,
              seriesSize);
          int chosen = measured.index() - series.offset();
          if (chosen == centreIndex) {
            return Future.succeededFuture(new Segmented(measured, centreMap, anatomies, first));
          }
          return remeasure(chosen, anatomies, measured, first);
        });
  }

  /** Pass 3: the measured slice, whole, on the 0.8 mm grid. */
  private Future<Segmented> remeasure(int chosen, List<SliceAnatomy> anatomies,
      PipelineEvent.MeasuredSlice measured, SegmentationResult first) {
    GreyImage image = series.images().get(chosen);
    return run.blockingSteps(Stage.PREPROCESS, () -> run.inline(Stage.PREPROCESS,
        () -> List.of(SliceSegmentation.input(image))))
        .compose(this::call)
        .compose(result -> run.blockingSteps(Stage.SEGMENTATION, () -> run.inline(
            Stage.SEGMENTATION, () -> {
              LabelMap map = SliceSegmentation.semanticMap(result.logits().get(0), image);
              return new Segmented(measured, map, anatomies, first);
            })));
  }

  /** One batched model call, timed as segmentation. */
  private Future<SegmentationResult> call(List<FloatTensor> inputs) {
    long t0 = System.nanoTime();
    return send(inputs).onSuccess(r -> run.timer().add(Stage.SEGMENTATION,
        System.nanoTime() - t0));
  }

  /** One batched model call, not timed. */
  private Future<SegmentationResult> send(List<FloatTensor> inputs) {
    try {
      run.checkDeadline(Stage.SEGMENTATION);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return SliceSegmentation.segment(backend, inputs, run.deadline());
  }

  /**
   * Pass 2's model calls and CPU work, pipelined: the slices go in groups of the backend's
   * {@link InferenceBackend#batchLimit}, one request each; up to {@link #CHUNKS} lanes of worker
   * tasks make the groups' inputs one group after the other, each group is sent as soon as its
   * inputs are made, the groups before it are sent and fewer than {@link #OUT_PER_LANE} of its
   * lane's requests are unanswered (so a series has at most that many per lane in the backend),
   * and each answer is read as soon as it comes, while later groups are still being made or
   * segmented. Results in the order of {@code items}; the first failure fails them all.
   */
  private Future<List<SliceAnatomy>> inGroups(List<Integer> items, Task<FloatTensor> input,
      Reader read) {
    List<List<Integer>> groups = SeriesSegmentation.split(items,
        backend.batchLimit(SeriesSegmentation.MODEL));
    int lanes = Math.min(CHUNKS, groups.size());
    List<Future<List<SliceAnatomy>>> parts = new ArrayList<>(groups.size());
    List<Future<List<FloatTensor>>> lastMade = new ArrayList<>(lanes);
    Future<Void> sentBefore = Future.succeededFuture();
    // the model's time is timed once, from the first request out to the last answer in: the
    // requests overlap, and a sum of their times would count the waits in the backend's queue
    long[] firstSent = {0};
    List<Future<SegmentationResult>> answers = new ArrayList<>(groups.size());
    for (int g = 0; g < groups.size(); g++) {
      List<Integer> group = groups.get(g);
      Future<?> after = g < lanes ? Future.succeededFuture() : lastMade.get(g % lanes);
      Future<List<FloatTensor>> made = after.compose(v -> run.blocking(Stage.PREPROCESS, () -> {
        List<FloatTensor> out = new ArrayList<>(group.size());
        for (int i : group) {
          out.add(input.apply(i));
        }
        return out;
      }));
      if (g < lanes) {
        lastMade.add(made);
      } else {
        lastMade.set(g % lanes, made);
      }
      // requests go out in the groups' order, so a backend sees the slices in series order, and
      // at most two per lane are out at a time (one running, the next waiting for a worker): a
      // series of 64 slices in requests of one slice would otherwise fill the embedded
      // backend's queue by itself (a failed request fails its lane's later groups unsent)
      Future<Void> prior = sentBefore;
      Future<?> window = g < OUT_PER_LANE * lanes ? Future.succeededFuture()
          : answers.get(g - OUT_PER_LANE * lanes);
      Promise<Void> sent = Promise.promise();
      sentBefore = sent.future();
      Future<SegmentationResult> answer = made.compose(inputs -> Future.all(prior, window)
          .compose(v -> {
            if (firstSent[0] == 0) {
              firstSent[0] = System.nanoTime();
            }
            Future<SegmentationResult> call = send(inputs);
            sent.tryComplete();
            return call;
          }));
      answer.onFailure(e -> sent.tryComplete());
      answers.add(answer);
      parts.add(answer.compose(result -> run.blocking(Stage.SEGMENTATION,
          () -> {
            List<SliceAnatomy> out = new ArrayList<>(group.size());
            for (int k = 0; k < group.size(); k++) {
              out.add(read.apply(result.logits().get(k), group.get(k)));
            }
            return out;
          })));
    }
    Future.all(answers).onSuccess(all -> run.timer().add(Stage.SEGMENTATION,
        System.nanoTime() - firstSent[0]));
    return Future.all(parts).map(all -> {
      List<SliceAnatomy> out = new ArrayList<>(items.size());
      for (Future<List<SliceAnatomy>> f : parts) {
        out.addAll(f.result());
      }
      return out;
    });
  }

  private GreyImage centre() {
    return series.images().get(series.geometricCentre());
  }

  private static List<Integer> indices(int n) {
    List<Integer> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(i);
    }
    return Collections.unmodifiableList(out);
  }

  @FunctionalInterface
  private interface Task<T> {
    T apply(int index) throws Exception;
  }

  /** Reads one slice's pass-2 logits. */
  @FunctionalInterface
  private interface Reader {
    SliceAnatomy apply(FloatTensor logits, int index) throws Exception;
  }
}
