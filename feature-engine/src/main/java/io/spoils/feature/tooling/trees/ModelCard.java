package io.spoils.feature.tooling.trees;

import io.spoils.feature.decision.DiscClass;
import io.spoils.feature.trees.ModelInfo;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders {@code MODEL_CARD.md} from the model info and the measured cross-validation metrics. */
final class ModelCard {
  private ModelCard() {}

  static String render(ModelInfo info, CrossValidationResult cv) {
    StringBuilder md = new StringBuilder();
    Map<String, Object> t = info.training();
    md.append("# Model card: ").append(info.name()).append(' ').append(info.version())
        .append("\n\nGradient-boosted trees (XGBoost, multi:softprob) that grade one lumbar disc "
            + "into the 11 classes Pfirrmann 1-5 x severity L/M/H from geometry and signal "
            + "features of one sagittal T2 slice. **Decision support only, not a diagnosis**: a "
            + "clinician reads the images and decides.\n\n## Data\n\n")
        .append("- SPIDER lumbar spine MRI dataset: J.W. van der Graaf et al., \"Lumbar spine "
            + "segmentation in MR images: a dataset and a public benchmark\", Scientific Data "
            + "11:264 (2024), licensed CC BY 4.0. Images: ").append(t.getOrDefault("dataset",
            "Development subset (T2 SPACE renders and reference masks)"))
        .append("; gradings from SPIDER's radiological_gradings.csv.\n")
        .append("- Patients: ").append(t.get("patients")).append(" with gradings, ")
        .append(t.get("patients_used")).append(" measured; discs: ").append(t.get("graded_discs"))
        .append(" graded, ").append(t.get("matched_discs")).append(" matched to a measured disc"
            + " (the training set).\n")
        .append("- Inputs: ").append(t.getOrDefault("inputs", "the reference masks measured "
            + "with their images on each patient's centre slice, not the project's own "
            + "segmentation")).append(".\n");
    if (t.containsKey("split")) {
      md.append("- Split: ").append(t.get("split")).append("; segmentation model ")
          .append(t.get("segmentation_model")).append("; ").append(t.get("images"))
          .append(" images.\n");
    }
    md.append("- Labels: Pfirrmann grade from SPIDER; severity derived by the project's rule "
            + "(score = narrowing + upper endplate + lower endplate + (Modic > 0) + herniation + "
            + "spondylolisthesis; L <= 1, M 2-3, H >= 4; grades 1-2 always L).\n");
    appendNotes(md, t.get("notes"));
    md.append("\n### Class counts\n\n| class | discs |\n|---|---|\n");
    int[] counts = cv.pooled().referenceCounts();
    for (DiscClass c : DiscClass.ordered()) {
      md.append("| ").append(c.label()).append(" | ").append(counts[c.ordinal()]).append(" |\n");
    }
    md.append("\n## Features\n\n").append(String.join(", ", info.featureNames()))
        .append(". A disc with any unmeasured feature (NaN) is neither trained on nor graded by "
            + "the trees (served, the CNN grades it alone). Absolute signal values and image "
            + "positions are excluded: the images are 8-bit windowed renders.\n");
    appendTraining(md, info, cv);
    appendMetrics(md, cv);
    appendLimits(md, counts, t);
    return md.toString();
  }

  private static void appendNotes(StringBuilder md, Object notes) {
    if (notes instanceof List<?> list && !list.isEmpty()) {
      md.append("- Left out:");
      list.forEach(n -> md.append(' ').append(n).append(';'));
      md.setLength(md.length() - 1);
      md.append(".\n");
    }
  }

  private static void appendTraining(StringBuilder md, ModelInfo info, CrossValidationResult cv) {
    md.append("\n## Training and validation protocol\n\n")
        .append("- Patient-grouped ").append(cv.folds()).append("-fold cross-validation: "
            + "patients are sorted, shuffled with seed ").append(cv.seed())
        .append(" and dealt round-robin to folds, so no patient has discs in both the training "
            + "and the held-out part. Metrics pool the out-of-fold predictions.\n")
        .append("- Class imbalance: sample weight = n / (classes present x class count).\n")
        .append("- The shipped model is then trained on all these discs with the same "
            + "parameters. Figures on held-out validation patients through the serving path: "
            + "`bin/spoils evaluate-grading` (triton-models/evaluation/grading-ensemble.json).\n")
        .append("- Hyper-parameters: ");
    info.hyperParameters().forEach((k, v) -> md.append('`').append(k).append('=').append(v)
        .append("` "));
    md.append("\n");
  }

  private static void appendMetrics(StringBuilder md, CrossValidationResult cv) {
    GradingMetrics m = cv.pooled();
    md.append("\n## Metrics (as measured, out-of-fold, n = ").append(m.n()).append(")\n\n")
        .append("| metric | value |\n|---|---|\n")
        .append(row("accuracy (11 classes)", m.accuracy()))
        .append(row("balanced accuracy (classes present)", m.balancedAccuracy()))
        .append(row("Pfirrmann exact", m.pfirrmannExact()))
        .append(row("Pfirrmann within one grade", m.pfirrmannWithinOne()))
        .append("\nConfusion matrix (rows reference, columns predicted):\n\n| |");
    DiscClass.ordered().forEach(c -> md.append(' ').append(c.label()).append(" |"));
    md.append("\n|---|").append("---|".repeat(DiscClass.COUNT)).append('\n');
    for (DiscClass c : DiscClass.ordered()) {
      md.append("| ").append(c.label()).append(" |");
      for (int v : m.confusion()[c.ordinal()]) {
        md.append(' ').append(v).append(" |");
      }
      md.append('\n');
    }
    md.append("\nPer fold accuracy:");
    cv.perFold().forEach(f -> md.append(' ').append(pct(f.accuracy())).append(" (n=")
        .append(f.n()).append(')'));
    md.append(".\n");
  }

  private static void appendLimits(StringBuilder md, int[] counts, Map<String, Object> t) {
    StringBuilder absent = new StringBuilder();
    StringBuilder rare = new StringBuilder();
    for (DiscClass c : DiscClass.ordered()) {
      if (counts[c.ordinal()] == 0) {
        absent.append(absent.isEmpty() ? "" : ", ").append(c.label());
      } else if (counts[c.ordinal()] < 5) {
        rare.append(rare.isEmpty() ? "" : ", ").append(c.label());
      }
    }
    md.append("\n## Limits\n\n")
        .append("- Small development set from one public dataset (SPIDER: Philips and Siemens, "
            + "1.5 T and 3 T); performance on other sites is unknown. T2 only: Pfirrmann is a T2 "
            + "grade and T1-only studies are not graded.\n")
        .append("- Severity is derived by a rule from the radiological findings, not graded by "
            + "radiologists; the model learns that rule's labels.\n")
        .append("- Classes absent from the data (never predicted reliably): ")
        .append(absent.isEmpty() ? "none" : absent).append(". Classes with fewer than 5 discs: ")
        .append(rare.isEmpty() ? "none" : rare).append(".\n")
        .append(t.containsKey("inputs") ? "- One sagittal slice per disc; features come from "
            + "the serving path's segmentation, so its errors are in the training data and in "
            + "these metrics. Discs with an unmeasured feature are left out (served: CNN "
            + "alone).\n" : "- One sagittal slice per disc; features come from reference masks, "
            + "so errors of an automatic segmentation are not reflected in these metrics.\n")
        .append("- Decision support only, not a diagnosis.\n");
  }

  private static String row(String name, double v) {
    return "| " + name + " | " + pct(v) + " |\n";
  }

  private static String pct(double v) {
    return String.format(Locale.ROOT, "%.1f %%", v * 100);
  }
}
