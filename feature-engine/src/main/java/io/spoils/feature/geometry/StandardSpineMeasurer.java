package io.spoils.feature.geometry;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.levels.LevelLabeller;
import io.spoils.feature.levels.LevelledDisc;
import io.spoils.feature.levels.LevelledVertebra;
import io.spoils.feature.levels.Region;
import io.spoils.feature.levels.SpineLevels;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Default {@link SpineMeasurer}: {@link LevelLabeller} for levels and bodies, then
 * {@link ShapeMeasures} in each disc's and body's own axes.
 *
 * <p>Disc height index = {@code averageHeightMm / mean(heightMm of the vertebral bodies directly
 * above and below)}, using the one that exists when only one does (the sacrum has no measured
 * height, so L5-S1 uses L5). Canal AP diameter = canal area inside the strip
 * {@code |v| < stripHalfWidthMm} behind the disc centroid (up to {@code canalSearchMm} behind the
 * disc's posterior edge), divided by the strip width: a chord along the disc's AP axis averaged
 * over the strip; NaN (with a warning) when the canal does not reach both halves of the strip
 * or does not continue {@link #CANAL_CONTINUITY_MM} beyond it (no canal, one interrupted at
 * this level, or an outline that ends there). CSF signal = mean image value of the canal pixels within {@code csfWindowMm} of
 * the disc centroid along its cranio-caudal axis, behind the disc.
 */
final class StandardSpineMeasurer implements SpineMeasurer {
  /** The canal must continue this far (mm) above and below a disc's strip to be measured. */
  static final double CANAL_CONTINUITY_MM = 5.0;

  private final GeometryOptions options;
  private final LevelLabeller labeller;

  StandardSpineMeasurer(GeometryOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    this.labeller = new LevelLabeller(options.minComponentAreaMm2(), options.posteriorMarginMm(),
        options.canalSearchMm());
  }

  @Override
  public SpineGeometry measure(LabelMap mask, GreyImage image) {
    Objects.requireNonNull(mask, "mask");
    if (image != null && (image.width() != mask.width() || image.height() != mask.height())) {
      throw new InvalidInputException("image size " + image.width() + "x" + image.height()
          + " differs from mask size " + mask.width() + "x" + mask.height());
    }
    return measure(labeller.label(mask), image);
  }

  @Override
  public SpineLevels label(LabelMap mask) {
    return labeller.label(Objects.requireNonNull(mask, "mask"));
  }

  @Override
  public SpineGeometry measure(SpineLevels levels, GreyImage image) {
    Objects.requireNonNull(levels, "levels");
    List<String> warnings = new ArrayList<>(levels.warnings());
    List<VertebraGeometry> vertebrae = new ArrayList<>();
    double[] bodySignal = new double[levels.vertebrae().size()];
    for (int i = 0; i < levels.vertebrae().size(); i++) {
      LevelledVertebra v = levels.vertebrae().get(i);
      vertebrae.add(measureVertebra(v));
      bodySignal[i] = Signals.mean(image, v.body());
    }
    List<DiscGeometry> discs = new ArrayList<>();
    BandRows canal = new BandRows(levels.canal());
    for (LevelledDisc d : levels.discs()) {
      discs.add(measureDisc(d, canal, vertebrae, bodySignal, image, warnings));
    }
    return new SpineGeometry(Signals.withNeighbourDiffs(discs), vertebrae, warnings);
  }

  private VertebraGeometry measureVertebra(LevelledVertebra v) {
    Region body = v.body();
    double height = Double.NaN;
    double width = Double.NaN;
    // centroidMm() would walk the body's pixels again: it is this, times the spacing
    double cx = body.centroidX();
    double cy = body.centroidY();
    if (!v.isSacrum() && !v.partial()) {
      double[] c = {cx * body.spacing().colMm(), cy * body.spacing().rowMm()};
      ProjectedShape shape = ProjectedShape.of(body, c,
          new double[] {v.apX(), v.apY()}, options.supersampling(), Double.POSITIVE_INFINITY);
      ShapeMeasures m = ShapeMeasures.of(shape, options.stripHalfWidthMm());
      height = m.averageHeightMm();
      width = m.averageWidthMm();
    }
    return new VertebraGeometry(v.level(), v.indexFromBottom(), cx, cy, height, width,
        body.areaMm2());
  }

  private DiscGeometry measureDisc(LevelledDisc d, BandRows canalRows,
      List<VertebraGeometry> vertebrae, double[] bodySignal, GreyImage image,
      List<String> warnings) {
    Region region = d.region();
    double[] c = region.centroidMm();
    double[] ap = {d.apX(), d.apY()};
    ShapeMeasures m = d.partial() ? ShapeMeasures.unmeasured() : ShapeMeasures.of(
        ProjectedShape.of(region, c, ap, options.supersampling(), Double.POSITIVE_INFINITY),
        options.stripHalfWidthMm());
    double canalLo = m.posteriorEdgeU() - options.canalSearchMm();
    double canal = d.partial() ? Double.NaN : canalDiameter(canalRows, c, ap, canalLo);
    if (Double.isNaN(canal) && !d.partial()) {
      warnings.add("CANAL_NOT_FOUND: no spinal canal was found behind disc "
          + d.level().displayName() + "; its canal diameter and CSF signal ratio are not "
          + "measured.");
    }
    double discMean = Signals.mean(image, region);
    double csf = Signals.meanInWindow(image, canalRows.band(c, ap, options.csfWindowMm()), c, ap,
        canalLo, 0, options.csfWindowMm());
    double vertebraMean = Signals.meanOfFinite(at(bodySignal, d.vertebraBelow()),
        at(bodySignal, d.vertebraAbove()));
    double dhi = m.averageHeightMm() / Signals.meanOfFinite(
        heightOf(vertebrae, d.vertebraBelow()), heightOf(vertebrae, d.vertebraAbove()));
    double tilt = Math.toDegrees(Math.atan2(-ap[1], Math.abs(ap[0])));
    return new DiscGeometry(d.level(), d.indexFromBottom(), region.centroidX(),
        region.centroidY(), tilt, m.anteriorHeightMm(), m.centralHeightMm(),
        m.posteriorHeightMm(), m.averageHeightMm(), m.averageWidthMm(), m.midWidthMm(),
        region.areaMm2(), dhi, discMean, discMean / csf, discMean / vertebraMean, Double.NaN,
        canal, Double.NaN);
  }

  private double canalDiameter(BandRows canalRows, double[] c, double[] ap, double uLo) {
    double half = options.stripHalfWidthMm();
    double reach = half + CANAL_CONTINUITY_MM;
    Region canal = canalRows.region();
    // ProjectedShape.of keeps |v| <= reach plus a pixel diagonal: only those rows are read
    Region rows = canalRows.band(c, ap,
        reach + Math.hypot(canal.spacing().colMm(), canal.spacing().rowMm()));
    ProjectedShape shape = ProjectedShape.of(rows, c, ap, options.supersampling(), reach);
    if (!shape.anyWithinV(half)) {
      return Double.NaN;
    }
    // a canal interrupted at this level, or whose outline ends (tapers) within a few mm of it,
    // gives no trustworthy diameter: it must reach both halves of the strip and beyond
    boolean covered = shape.areaInBox(uLo, 0, -half / 2, half / 2) > 0
        && shape.areaInBox(uLo, 0, half / 2, half / 2) > 0
        && shape.areaInBox(uLo, 0, -reach + 0.5, 0.5) > 0
        && shape.areaInBox(uLo, 0, reach - 0.5, 0.5) > 0;
    double area = shape.areaInBox(uLo, 0, 0, half);
    return covered && area > 0 ? area / (2 * half) : Double.NaN;
  }

  private static double at(double[] values, int index) {
    return index < 0 ? Double.NaN : values[index];
  }

  private static double heightOf(List<VertebraGeometry> vertebrae, int index) {
    return index < 0 ? Double.NaN : vertebrae.get(index).heightMm();
  }
}
