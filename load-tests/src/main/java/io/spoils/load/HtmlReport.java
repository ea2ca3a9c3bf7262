package io.spoils.load;

import java.util.Locale;

/** The self-contained HTML report: the summary table and the charts as inline SVG, no scripts. */
final class HtmlReport {

  private HtmlReport() {
  }

  static String render(LoadReport report) {
    SvgCanvas svg = new SvgCanvas(Charts.WIDTH, Charts.HEIGHT);
    Charts.draw(svg, report);
    return String.format(Locale.ROOT, """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>SPOILS load test %s</title>
        <style>body{font-family:sans-serif;margin:2em;color:#222}pre{background:#f6f6f6;\
        padding:1em;border-radius:4px}</style>
        </head>
        <body>
        <h1>SPOILS load test</h1>
        <p>Target %s, started %s. The JSON report (schema %s) holds the same numbers.</p>
        <pre>%s</pre>
        %s</body>
        </html>
        """, SvgCanvas.escape(report.options().target()),
        SvgCanvas.escape(report.options().target()), report.result().startedAt(),
        LoadReport.SCHEMA, SvgCanvas.escape(TableReport.render(report)), svg.svg());
  }
}
