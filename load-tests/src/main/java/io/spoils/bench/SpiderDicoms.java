package io.spoils.bench;

import io.spoils.feature.tooling.dicom.DicomWriter;
import io.spoils.feature.tooling.dicom.MrParams;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.ImageFiles;
import io.spoils.feature.image.PixelSpacing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the centre slices of the first {@code N} SPIDER patients (in {@code slices.csv} order) as
 * single-slice DICOM studies, the way the bundled example was made (MR, sagittal, the series'
 * pixel spacing, TE 120 / TR 2000 ms, 16-bit values equal to the PNG's, empty patient module), so
 * that the Java pipeline and the Python baseline can be timed on the same files.
 *
 * <p>Usage: {@code java -cp ... io.spoils.bench.SpiderDicoms SPIDER_DIR OUT_DIR N}; prints the
 * written paths, one per line.
 */
public final class SpiderDicoms {
  private SpiderDicoms() {
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: SpiderDicoms SPIDER_DIR OUT_DIR N");
      System.exit(2);
    }
    Path root = Path.of(args[0]);
    Path out = Files.createDirectories(Path.of(args[1]));
    int wanted = Integer.parseInt(args[2]);
    Map<String, PixelSpacing> spacing = new HashMap<>();
    List<String> series = Files.readAllLines(root.resolve("series.csv"));
    for (String line : series.subList(1, series.size())) {
      String[] f = line.split(",");
      spacing.put(f[0], new PixelSpacing(Double.parseDouble(f[1]), Double.parseDouble(f[2])));
    }
    List<String> slices = Files.readAllLines(root.resolve("slices.csv"));
    int written = 0;
    for (String line : slices.subList(1, slices.size())) {
      String[] f = line.split(",");
      if (written == wanted) {
        break;
      }
      if (!"1".equals(f[2].trim())) {
        continue;
      }
      String name = String.format("%03d_slice%02d", Integer.parseInt(f[0]), Integer.parseInt(f[1]));
      GreyImage image = ImageFiles.readGrey(root.resolve("images").resolve(name + ".png"),
          spacing.get(f[0]));
      MrParams params = MrParams.of(DicomWriter.newUid())
          .withGeometry(MrParams.sagittal(), new double[] {0, 0, 0})
          .withTiming(120.0, 2000.0);
      Path file = out.resolve(name + ".dcm");
      Files.write(file, DicomWriter.writeMr(image, params));
      System.out.println(file);
      written++;
    }
  }
}
