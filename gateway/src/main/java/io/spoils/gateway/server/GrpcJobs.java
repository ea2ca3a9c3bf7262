package io.spoils.gateway.server;

import com.google.protobuf.ByteString;
import io.spoils.feature.InvalidInputException;
import io.spoils.feature.decision.ClinicalScores;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.ingest.DicomWebClient;
import io.spoils.gateway.ingest.PacsStudy;
import io.spoils.gateway.pipeline.AnalysisRequest;
import io.spoils.gateway.service.Job;
import io.spoils.proto.v1.AnalysisOptions;
import io.spoils.proto.v1.AnalyzeRequest;
import io.spoils.proto.v1.UploadHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The gRPC messages as {@link Job}s: {@code Analyze}'s {@code AnalyzeRequest} (files or a
 * DICOMweb study reference) and {@code AnalyzeUpload}'s header with its assembled files, checked
 * against the server's limits ({@link RequestChecks}). The files are read-only views of the
 * messages' bytes, never copies: the decoder reads them in place. Thread-safe.
 */
final class GrpcJobs {

  private final ServerOptions options;
  private final DicomWebClient dicomWeb;

  /** @param dicomWeb resolves the PACS a request names */
  GrpcJobs(ServerOptions options, DicomWebClient dicomWeb) {
    this.options = options;
    this.dicomWeb = dicomWeb;
  }

  /** Checks an {@code AnalyzeRequest} against the limits and turns it into a job. */
  Job job(AnalyzeRequest request) {
    if (request.getStudyCase() == AnalyzeRequest.StudyCase.DICOMWEB) {
      return pacsJob(request);
    }
    if (request.getStudyCase() != AnalyzeRequest.StudyCase.FILES) {
      throw new InvalidInputException("the request has no study: set files or dicomweb");
    }
    if (request.hasRequestId()) {
      RequestChecks.requestId(request.getRequestId());
    }
    var files = request.getFiles().getFilesList();
    List<String> names = new ArrayList<>(files.size());
    List<ByteString> contents = new ArrayList<>(files.size());
    files.forEach(f -> {
      names.add(f.getName());
      contents.add(f.getContent());
    });
    return filesJob(names, contents, request.getScores(), request.getOptions());
  }

  /**
   * The job of an upload: its header and its files, each joined from its chunks.
   *
   * @param files one entry per file, in {@code file_index} order
   */
  Job job(UploadHeader header, List<ByteString> files) {
    if (header.hasRequestId()) {
      RequestChecks.requestId(header.getRequestId());
    }
    List<String> names = new ArrayList<>(files.size());
    files.forEach(f -> names.add(""));
    return filesJob(names, files, header.getScores(), header.getOptions());
  }

  private Job filesJob(List<String> names, List<ByteString> files,
      io.spoils.proto.v1.ClinicalScores scores, AnalysisOptions analysis) {
    RequestChecks.fileCount(files.size(), options.maxFiles());
    long bytes = files.stream().mapToLong(ByteString::size).sum();
    RequestChecks.bytes(bytes, options.maxUploadBytes());
    List<AnalysisRequest.DicomInput> inputs = new ArrayList<>(files.size());
    for (int i = 0; i < files.size(); i++) {
      String name = names.get(i).isEmpty() ? "file " + i : names.get(i);
      inputs.add(new AnalysisRequest.DicomInput(name, files.get(i).asReadOnlyByteBuffer()));
    }
    return new Job(new AnalysisRequest(inputs, scores(scores), analysis.getComputeVolume()),
        analysis.getIncludeMask(), RequestChecks.contributions(analysis.getMaxContributions()))
        .withStoreResults(analysis.getStoreResults());
  }

  /** A job for an {@code AnalyzeRequest} naming a PACS study; the PACS name is checked here. */
  private Job pacsJob(AnalyzeRequest request) {
    if (request.hasRequestId()) {
      RequestChecks.requestId(request.getRequestId());
    }
    var ref = request.getDicomweb();
    PacsStudy study = new PacsStudy(dicomWeb.named(ref.getPacs()), ref.getStudyInstanceUid(),
        ref.hasSeriesInstanceUid() ? Optional.of(ref.getSeriesInstanceUid()) : Optional.empty(),
        scores(request.getScores()));
    return Job.deferred(dicomWeb.source(study), request.getOptions().getIncludeMask(),
        RequestChecks.contributions(request.getOptions().getMaxContributions()),
        request.getOptions().getComputeVolume())
        .withStoreResults(request.getOptions().getStoreResults());
  }

  private static Optional<ClinicalScores> scores(io.spoils.proto.v1.ClinicalScores scores) {
    return RequestChecks.scores(scores.hasOdiPercent() ? scores.getOdiPercent() : null,
        scores.hasNrs() ? scores.getNrs() : null);
  }
}
