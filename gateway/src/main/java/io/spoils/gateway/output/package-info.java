/**
 * Clinical outputs of an analysis, one writer per format, each consuming the values the pipeline
 * produced ({@link io.spoils.gateway.output.AnalysisResult}) and, for DICOM, the identifiers of
 * the measured source image ({@link io.spoils.gateway.output.SourceImage}, found by
 * {@link io.spoils.gateway.output.SourceLocator}):
 * <ul>
 *   <li>{@code report.ReportWriter}: the written per-level report in plain clinical English;</li>
 *   <li>{@code sr.MeasurementReportWriter}: a DICOM Comprehensive SR, TID 1500 Measurement
 *       Report, written with PixelMed's content item factory;</li>
 *   <li>{@code seg.SegmentationWriter}: a binary DICOM Segmentation of the 14-class label map.</li>
 * </ul>
 * Both DICOM objects join the source's study in a new series (SR 9901, SEG 9902) and copy its
 * Patient and General Study modules, so that a PACS files them with the study. They are checked
 * with dicom3tools' {@code dciodvfy} and read back with DCMTK in the tests.
 *
 * <h2>Coded concepts</h2>
 * Standard concepts where DICOM PS3.16 has them: DCM (document structure, Height, Probability,
 * Impression, Summary, Comment), SCT (Intervertebral disc 360499006, the disc levels
 * 243926009 T12/L1, 243920003 L1/L2, 243921004 L2/L3, 243922006 L3/L4, 243923001 L4/L5,
 * 243927000 L5/S1, the vertebrae L1-L5 66794005, 14293000, 36470004, 11994002, 49668003, Sacrum
 * 54735007, Spinal canal 61853006, Width, Area, Volume, Diameter, Mean, Severity with Mild,
 * Moderate, Severe, Imaging procedure 363679005), UCUM units (mm, mm2, mm3, {ratio}, 1, %,
 * {score}), UMLS C0034375 Qualitative Evaluations.
 *
 * <p>SPOILS private concepts, coding scheme designator {@code 99SPOILS} (declared in each SR's
 * Coding Scheme Identification Sequence), for what no standard scheme has:
 * <table>
 *   <caption>99SPOILS concepts</caption>
 *   <tr><th>Code value</th><th>Meaning</th><th>Used as</th></tr>
 *   <tr><td>PFIRRMANN</td><td>Pfirrmann grade</td><td>concept name, CODE</td></tr>
 *   <tr><td>PFIRRMANN-1 .. PFIRRMANN-5</td><td>Pfirrmann grade I .. V</td><td>value</td></tr>
 *   <tr><td>DISC-CLASS</td><td>Disc degeneration class</td><td>concept name, CODE</td></tr>
 *   <tr><td>CLASS-1L .. CLASS-5H</td><td>the 11 classes, e.g. "4M: Pfirrmann 4, moderate
 *       severity"</td><td>value</td></tr>
 *   <tr><td>STRATUM</td><td>Treatment stratum</td><td>concept name, CODE</td></tr>
 *   <tr><td>NOT-GRADED, CONSERVATIVE, ESI, SURGICAL</td><td>the strata of
 *       {@code io.spoils.feature.decision.TreatmentStratum}</td><td>value</td></tr>
 *   <tr><td>STRATUM-REASON</td><td>Treatment stratum reason</td><td>concept name, TEXT</td></tr>
 *   <tr><td>DHI</td><td>Disc height index</td><td>concept name, NUM ({ratio})</td></tr>
 *   <tr><td>SIGNAL-CSF</td><td>Disc to CSF signal ratio</td><td>concept name, NUM</td></tr>
 *   <tr><td>SIGNAL-VERTEBRA</td><td>Disc to vertebral body signal ratio</td><td>concept name,
 *       NUM</td></tr>
 *   <tr><td>AT-ANTERIOR, AT-CENTRE, AT-POSTERIOR</td><td>where a disc height was measured</td>
 *       <td>Measurement Method value</td></tr>
 *   <tr><td>CANAL-AP</td><td>Anteroposterior, along the disc axis behind the disc</td>
 *       <td>Measurement Method value of the canal Diameter</td></tr>
 *   <tr><td>SLICE-SUM</td><td>Summed over the series' slices</td><td>Measurement Method value
 *       of the disc Volume</td></tr>
 *   <tr><td>ODI</td><td>Oswestry Disability Index</td><td>concept name, NUM (%)</td></tr>
 *   <tr><td>NRS</td><td>Pain Numeric Rating Scale</td><td>concept name, NUM ({score})</td></tr>
 * </table>
 * The project's L/M/H severity is coded as SNOMED CT Mild, Moderate, Severe, and the report says
 * the same words ({@code report.Wording}).
 */
package io.spoils.gateway.output;
