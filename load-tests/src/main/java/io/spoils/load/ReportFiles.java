package io.spoils.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes report.json, report.html and report.png into the run's {@code --out} folder. */
final class ReportFiles {

  private ReportFiles() {
  }

  static void write(LoadReport report) throws IOException {
    Path dir = Files.createDirectories(report.options().out());
    Files.writeString(dir.resolve("report.json"), report.toJson().encodePrettily() + "\n");
    Files.writeString(dir.resolve("report.html"), HtmlReport.render(report));
    PngCanvas png = new PngCanvas(Charts.WIDTH, Charts.HEIGHT);
    Charts.draw(png, report);
    png.write(dir.resolve("report.png"));
  }
}
