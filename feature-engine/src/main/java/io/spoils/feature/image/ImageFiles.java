package io.spoils.feature.image;

import io.spoils.feature.InvalidInputException;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads greyscale images and label masks from PNG files and writes masks back.
 *
 * <p>Accepted PNGs: 8-bit or 16-bit greyscale (with or without alpha), palette images whose
 * entries are grey, and RGB/RGBA images whose three colour channels are equal at every pixel (as
 * many renders are stored); alpha is ignored. Genuinely colour images are rejected. Error messages
 * name the reason only, never the path (file names often carry patient identifiers).
 */
public final class ImageFiles {
  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  private static final int[] SPIDER_IDS = {0, 29, 31, 76, 150};
  private static final int ANATOMY14_MAX_ID = 13;

  private ImageFiles() {}

  /**
   * Reads a greyscale PNG as float values in the file's own units (0-255 for 8-bit, 0-65535 for
   * 16-bit).
   *
   * @throws InvalidInputException when the file is missing, not a PNG, unreadable or in colour
   */
  public static GreyImage readGrey(Path png, PixelSpacing spacing) {
    Objects.requireNonNull(spacing, "spacing");
    int[][] grey = readGreySamples(png, "image");
    int height = grey.length;
    int width = grey[0].length;
    float[] pixels = new float[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        pixels[y * width + x] = grey[y][x];
      }
    }
    return new GreyImage(width, height, pixels, spacing);
  }

  /**
   * Reads a label mask PNG and detects its scheme from the values present: all within
   * {0, 29, 31, 76, 150} is {@link LabelMap.Scheme#SPIDER} (31: the lumbosacral disc of the
   * segmentation contract v2); all within 0-13 is
   * {@link LabelMap.Scheme#ANATOMY14} (an all-zero mask is read as ANATOMY14).
   *
   * @throws InvalidInputException for a missing/unreadable file or a value outside both schemes
   */
  public static LabelMap readMask(Path png, PixelSpacing spacing) {
    Objects.requireNonNull(spacing, "spacing");
    int[][] grey = readGreySamples(png, "mask");
    int height = grey.length;
    int width = grey[0].length;
    boolean[] seen = new boolean[65536];
    byte[] labels = new byte[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int v = grey[y][x];
        seen[v] = true;
        labels[y * width + x] = (byte) v;
      }
    }
    return new LabelMap(width, height, labels, spacing, detectScheme(seen));
  }

  private static LabelMap.Scheme detectScheme(boolean[] seen) {
    int firstNonAnatomy = -1;
    for (int v = ANATOMY14_MAX_ID + 1; v < seen.length; v++) {
      if (seen[v]) {
        firstNonAnatomy = v;
        break;
      }
    }
    if (firstNonAnatomy < 0) {
      return LabelMap.Scheme.ANATOMY14;
    }
    for (int v = 0; v < seen.length; v++) {
      if (seen[v] && Arrays.binarySearch(SPIDER_IDS, v) < 0) {
        throw new InvalidInputException("mask contains label value " + v + ", which is neither a "
            + "SPIDER label (0, 29, 31, 76, 150) nor a 14-class anatomy label (0-13)");
      }
    }
    return LabelMap.Scheme.SPIDER;
  }

  /** Writes the mask's class ids as an 8-bit greyscale PNG. */
  public static void writeMask(LabelMap mask, Path png) {
    BufferedImage image =
        new BufferedImage(mask.width(), mask.height(), BufferedImage.TYPE_BYTE_GRAY);
    image.getRaster().setDataElements(0, 0, mask.width(), mask.height(), mask.labels().clone());
    try {
      if (!ImageIO.write(image, "png", png.toFile())) {
        throw new IllegalStateException("no PNG writer available");
      }
    } catch (IOException e) {
      throw new InvalidInputException("cannot write the mask file (" + e.getClass().getSimpleName()
          + ")", e);
    }
  }

  private static int[][] readGreySamples(Path png, String what) {
    Objects.requireNonNull(png, "png");
    if (!Files.isRegularFile(png)) {
      throw new InvalidInputException(what + " file not found");
    }
    BufferedImage image;
    try (InputStream in = Files.newInputStream(png)) {
      byte[] magic = in.readNBytes(PNG_MAGIC.length);
      if (!Arrays.equals(magic, PNG_MAGIC)) {
        throw new InvalidInputException(what + " file is not a PNG");
      }
      image = decodePng(png);
    } catch (IOException | RuntimeException e) {
      if (e instanceof InvalidInputException iie) {
        throw iie;
      }
      throw new InvalidInputException(what + " PNG cannot be decoded", e);
    }
    if (image == null) {
      throw new InvalidInputException(what + " PNG cannot be decoded");
    }
    return toGrey(image, what);
  }

  /**
   * Decodes with a PNG reader directly: {@code ImageIO.read} would probe every registered reader,
   * and some (DICOM plug-ins on the class path) print to stdout while probing.
   */
  private static BufferedImage decodePng(Path png) throws IOException {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("png");
    if (!readers.hasNext()) {
      throw new IllegalStateException("no PNG reader available");
    }
    ImageReader reader = readers.next();
    try (ImageInputStream in = ImageIO.createImageInputStream(png.toFile())) {
      reader.setInput(in, true, true);
      return reader.read(0);
    } finally {
      reader.dispose();
    }
  }

  private static int[][] toGrey(BufferedImage image, String what) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[][] out = new int[h][w];
    if (image.getColorModel() instanceof IndexColorModel) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          out[y][x] = greyOfRgb(image.getRGB(x, y), what);
        }
      }
      return out;
    }
    Raster raster = image.getRaster();
    int bands = raster.getNumBands();
    int[] row = new int[w];
    int[] g = new int[w];
    int[] b = new int[w];
    for (int y = 0; y < h; y++) {
      raster.getSamples(0, y, w, 1, 0, row);
      if (bands >= 3) {
        raster.getSamples(0, y, w, 1, 1, g);
        raster.getSamples(0, y, w, 1, 2, b);
        for (int x = 0; x < w; x++) {
          if (row[x] != g[x] || row[x] != b[x]) {
            throw new InvalidInputException(what + " PNG is in colour; a greyscale image is needed");
          }
        }
      }
      System.arraycopy(row, 0, out[y], 0, w);
    }
    return out;
  }

  private static int greyOfRgb(int argb, String what) {
    int r = (argb >> 16) & 0xFF;
    int g = (argb >> 8) & 0xFF;
    int b = argb & 0xFF;
    if (r != g || r != b) {
      throw new InvalidInputException(what + " PNG is in colour; a greyscale image is needed");
    }
    return r;
  }
}
