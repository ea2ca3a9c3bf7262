package io.spoils.feature.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.tooling.dicom.DicomWriter;
import io.spoils.feature.tooling.dicom.MrParams;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StudyAssemblerTest {

  @Test
  void assemble_shuffledFilesSortedByPosition() {
    MrParams base = MrParams.of(DicomWriter.newUid());
    List<DicomSlice> slices = new ArrayList<>();
    // Instance numbers deliberately disagree with position so the test sees which key was used.
    for (int i = 0; i < 9; i++) {
      slices.add(Synthetic.sagittalAt(base, 100 - i * 7 % 9, -20 + 4.5 * i));
    }
    List<Double> expected = slices.stream().map(s -> s.imagePositionPatient()[0]).toList();
    Collections.shuffle(slices, new Random(7));
    Series series = single(StudyAssembler.assemble(slices));
    assertTrue(series.orderedByPosition());
    // Sagittal normal is -x, so ascending position along the normal is descending x.
    List<Double> xs = series.slices().stream().map(s -> s.imagePositionPatient()[0]).toList();
    List<Double> descending = new ArrayList<>(expected);
    Collections.reverse(descending);
    assertEquals(descending, xs);
  }

  @Test
  void assemble_missingPositionsSortedByInstanceNumber() {
    MrParams base = MrParams.of(DicomWriter.newUid()).withGeometry(MrParams.sagittal(), null);
    List<DicomSlice> slices = new ArrayList<>();
    for (int instance : new int[] {5, 2, 9, 1, 7}) {
      slices.add(Synthetic.slice(base.withInstance(instance), instance));
    }
    Study study = StudyAssembler.assemble(slices);
    Series series = single(study);
    assertFalse(series.orderedByPosition());
    assertEquals(List.of(1, 2, 5, 7, 9), series.slices().stream().map(DicomSlice::instanceNumber).toList());
    assertTrue(study.warnings().stream().anyMatch(w -> w.contains("ordered by Instance Number")));
  }

  @Test
  void assemble_twoSeriesGroupedApart() {
    MrParams a = MrParams.of(DicomWriter.newUid()).withSeries(3);
    MrParams b = MrParams.of(DicomWriter.newUid()).withSeries(2);
    List<DicomSlice> slices = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      slices.add(Synthetic.sagittalAt(a, i + 1, i * 3.0));
      slices.add(Synthetic.sagittalAt(b, i + 1, i * 3.0));
    }
    slices.add(Synthetic.sagittalAt(a, 5, 12.0));
    Study study = StudyAssembler.assemble(slices);
    assertEquals(2, study.series().size());
    assertEquals(2, study.series().get(0).seriesNumber());
    assertEquals(4, study.series().get(0).size());
    assertEquals(5, study.series().get(1).size());
  }

  @Test
  void assemble_planesOfOneSeriesSplit() {
    MrParams base = MrParams.of(DicomWriter.newUid());
    List<DicomSlice> slices = List.of(
        Synthetic.slice(base.withGeometry(MrParams.sagittal(), new double[3]), 1),
        Synthetic.slice(base.withGeometry(MrParams.axial(), new double[3]), 2),
        Synthetic.slice(base.withGeometry(MrParams.coronal(), new double[3]), 3),
        Synthetic.slice(base.withGeometry(OrientationTest.sagittalTiltedAboutZ(45), new double[3]), 4));
    Study study = StudyAssembler.assemble(slices);
    assertEquals(List.of(Orientation.SAGITTAL, Orientation.AXIAL, Orientation.CORONAL, Orientation.OBLIQUE),
        study.series().stream().map(Series::orientation).toList());
  }

  @Test
  void chooseSagittalT2_t2PreferredOverLargerT1() {
    MrParams t1 = MrParams.of(DicomWriter.newUid()).withSeries(1).withTiming(12.0, 550.0);
    MrParams t2 = MrParams.of(DicomWriter.newUid()).withSeries(2).withTiming(110.0, 3500.0);
    MrParams axialT2 = MrParams.of(DicomWriter.newUid()).withSeries(3);
    List<DicomSlice> slices = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      slices.add(Synthetic.sagittalAt(t1, i + 1, i * 4.0));
    }
    for (int i = 0; i < 5; i++) {
      slices.add(Synthetic.sagittalAt(t2, i + 1, i * 4.0));
    }
    for (int i = 0; i < 9; i++) {
      slices.add(Synthetic.slice(axialT2.withInstance(i + 1).withGeometry(MrParams.axial(),
          new double[] {0, 0, i * 5.0}), i));
    }
    SagittalT2 choice = StudyAssembler.chooseSagittalT2(StudyAssembler.assemble(slices));
    assertEquals(2, choice.series().seriesNumber());
    assertTrue(choice.t2Weighted());
    assertTrue(choice.warnings().isEmpty(), () -> choice.warnings().toString());
  }

  @Test
  void chooseSagittalT2_fallbackToMostSlicesWithWarning() {
    MrParams t1 = MrParams.of(DicomWriter.newUid()).withSeries(4).withTiming(12.0, 550.0);
    MrParams pd = MrParams.of(DicomWriter.newUid()).withSeries(5).withTiming(30.0, 3000.0);
    List<DicomSlice> slices = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      slices.add(Synthetic.sagittalAt(t1, i + 1, i * 4.0));
    }
    for (int i = 0; i < 6; i++) {
      slices.add(Synthetic.sagittalAt(pd, i + 1, i * 4.0));
    }
    SagittalT2 choice = StudyAssembler.chooseSagittalT2(StudyAssembler.assemble(slices));
    assertEquals(5, choice.series().seriesNumber());
    assertFalse(choice.t2Weighted());
    assertEquals(1, choice.warnings().size());
    assertTrue(choice.warnings().get(0).startsWith("No sagittal series has T2-weighted timing"));
  }

  @Test
  void chooseSagittalT2_noSagittalSeries() {
    MrParams axial = MrParams.of(DicomWriter.newUid());
    List<DicomSlice> slices = List.of(Synthetic.slice(axial.withGeometry(MrParams.axial(), new double[3]), 1));
    DicomReaderTest.assertReason(() -> StudyAssembler.chooseSagittalT2(StudyAssembler.assemble(slices)),
        "no sagittal series");
  }

  @Test
  void midIndex_nearestToMiddleOfExtent() {
    MrParams base = MrParams.of(DicomWriter.newUid());
    // Uneven spacing: x = 0, 1, 2, 10, 20 -> along the -x normal: -20 .. 0, middle -10 -> x = 10.
    List<DicomSlice> slices = new ArrayList<>();
    double[] xs = {0, 1, 2, 10, 20};
    for (int i = 0; i < xs.length; i++) {
      slices.add(Synthetic.sagittalAt(base, i + 1, xs[i]));
    }
    SagittalT2 choice = StudyAssembler.chooseSagittalT2(StudyAssembler.assemble(slices));
    assertEquals(10.0, choice.midSlice().imagePositionPatient()[0], 1e-9);
    assertEquals(4, choice.midSlice().instanceNumber());
  }

  @Test
  void midIndex_evenCountTieTakesLowerIndex() {
    MrParams base = MrParams.of(DicomWriter.newUid());
    List<DicomSlice> slices = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      slices.add(Synthetic.sagittalAt(base, i + 1, i * 4.0));
    }
    Series s = single(StudyAssembler.assemble(slices));
    assertEquals(1, StudyAssembler.midIndex(s));
  }

  @Test
  void midIndex_withoutPositionsMiddleOfInstanceOrder() {
    MrParams base = MrParams.of(DicomWriter.newUid()).withGeometry(MrParams.sagittal(), null);
    List<DicomSlice> slices = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      slices.add(Synthetic.slice(base.withInstance(i), i));
    }
    SagittalT2 choice = StudyAssembler.chooseSagittalT2(StudyAssembler.assemble(slices));
    assertEquals(3, choice.midSlice().instanceNumber());
    assertTrue(choice.warnings().stream().anyMatch(w -> w.contains("positions are missing")));
  }

  @Test
  void warnings_carryNoUids() {
    String uid = DicomWriter.newUid();
    MrParams base = MrParams.of(uid).withTiming(10.0, 500.0).withGeometry(MrParams.sagittal(), null);
    List<DicomSlice> slices = List.of(Synthetic.slice(base.withInstance(1), 1),
        Synthetic.slice(base.withInstance(2), 2));
    Study study = StudyAssembler.assemble(slices);
    SagittalT2 choice = StudyAssembler.chooseSagittalT2(study);
    List<String> all = new ArrayList<>(study.warnings());
    all.addAll(choice.warnings());
    assertFalse(all.isEmpty());
    assertTrue(all.stream().noneMatch(w -> w.contains(uid)));
  }

  private static Series single(Study study) {
    assertEquals(1, study.series().size());
    return study.series().get(0);
  }
}
