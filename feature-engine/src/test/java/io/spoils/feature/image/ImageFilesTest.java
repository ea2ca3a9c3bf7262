package io.spoils.feature.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.InvalidInputException;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {
  private static final PixelSpacing SPACING = new PixelSpacing(0.5, 0.4);

  @TempDir
  Path tmp;

  private Path write(BufferedImage image, String name) throws Exception {
    Path p = tmp.resolve(name);
    ImageIO.write(image, "png", p.toFile());
    return p;
  }

  @Test
  void readGrey_eightBit() throws Exception {
    BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
    img.getRaster().setSample(2, 1, 0, 200);
    GreyImage g = ImageFiles.readGrey(write(img, "g.png"), SPACING);
    assertEquals(3, g.width());
    assertEquals(2, g.height());
    assertEquals(200f, g.get(2, 1));
    assertEquals(SPACING, g.spacing());
  }

  @Test
  void readGrey_sixteenBit() throws Exception {
    BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_USHORT_GRAY);
    img.getRaster().setSample(1, 0, 0, 40000);
    assertEquals(40000f, ImageFiles.readGrey(write(img, "g16.png"), SPACING).get(1, 0));
  }

  @Test
  void readGrey_rgbaWithEqualChannels() throws Exception {
    BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
    img.setRGB(0, 0, 0xFF404040);
    img.setRGB(1, 0, 0x80C8C8C8);
    GreyImage g = ImageFiles.readGrey(write(img, "rgba.png"), SPACING);
    assertEquals(0x40, g.get(0, 0));
    assertEquals(0xC8, g.get(1, 0));
  }

  @Test
  void readGrey_colourRejected() throws Exception {
    BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
    img.setRGB(1, 0, 0xFF0000);
    Path p = write(img, "colour.png");
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> ImageFiles.readGrey(p, SPACING));
    assertTrue(e.getMessage().contains("colour"), e.getMessage());
  }

  @Test
  void readGrey_notPngOrMissing() throws Exception {
    Path text = Files.writeString(tmp.resolve("x.png"), "hello");
    assertThrows(InvalidInputException.class, () -> ImageFiles.readGrey(text, SPACING));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> ImageFiles.readGrey(tmp.resolve("patient-123.png"), SPACING));
    assertTrue(!e.getMessage().contains("patient-123"), "path must not leak: " + e.getMessage());
  }

  @Test
  void readMask_detectsSpider() throws Exception {
    byte[] labels = {0, 29, 76, (byte) 150};
    Path p = tmp.resolve("spider.png");
    ImageFiles.writeMask(new LabelMap(2, 2, labels, SPACING, LabelMap.Scheme.SPIDER), p);
    LabelMap m = ImageFiles.readMask(p, SPACING);
    assertEquals(LabelMap.Scheme.SPIDER, m.scheme());
    assertArrayEquals(labels, m.labels());
  }

  @Test
  void readMask_lumbosacralDiscValue_spider() throws Exception {
    byte[] labels = {0, 29, 31, (byte) 150};
    Path p = tmp.resolve("v2.png");
    ImageFiles.writeMask(new LabelMap(2, 2, labels, SPACING, LabelMap.Scheme.SPIDER), p);
    LabelMap m = ImageFiles.readMask(p, SPACING);
    assertEquals(LabelMap.Scheme.SPIDER, m.scheme());
    assertArrayEquals(labels, m.labels());
  }

  @Test
  void readMask_detectsAnatomy14() throws Exception {
    byte[] labels = {0, 7, 13, 6};
    Path p = tmp.resolve("a14.png");
    ImageFiles.writeMask(new LabelMap(2, 2, labels, SPACING, LabelMap.Scheme.ANATOMY14), p);
    assertEquals(LabelMap.Scheme.ANATOMY14, ImageFiles.readMask(p, SPACING).scheme());
  }

  @Test
  void readMask_unknownValueNamed() throws Exception {
    byte[] labels = {0, 29, 77, 0};
    Path p = tmp.resolve("bad.png");
    ImageFiles.writeMask(new LabelMap(2, 2, labels, SPACING, LabelMap.Scheme.SPIDER), p);
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> ImageFiles.readMask(p, SPACING));
    assertTrue(e.getMessage().contains("77"), e.getMessage());
  }
}
