package io.spoils.gateway.deploy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PromQL of the deployment files (the Grafana dashboard's panel queries and the
 * expressions of the Prometheus rule files) and the metric names and label matchers in it: a
 * small lexer, enough for the queries this project writes (no nested braces, no string escapes).
 */
final class PromQl {

  /** The repository root, from the gateway module where Surefire runs. */
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path DASHBOARD = ROOT.resolve("deploy/grafana/spoils-dashboard.json");
  static final Path RULES = ROOT.resolve("deploy/prometheus/rules/spoils-alerts.yml");

  private static final Pattern SELECTOR =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}");
  private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)");
  private static final Pattern LABEL_LIST = Pattern.compile(
      "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern IDENT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring",
      "group_left", "group_right", "and", "or", "unless", "bool", "offset", "inf", "nan");

  private PromQl() {}

  /** Every {@code expr} of the dashboard's panels, annotations included. */
  static List<String> dashboardExprs() throws IOException {
    JsonObject d = new JsonObject(Files.readString(DASHBOARD));
    List<String> out = new ArrayList<>();
    for (Object p : d.getJsonArray("panels")) {
      JsonArray targets = ((JsonObject) p).getJsonArray("targets", new JsonArray());
      for (Object t : targets) {
        out.add(((JsonObject) t).getString("expr"));
      }
    }
    for (Object a : d.getJsonObject("annotations").getJsonArray("list")) {
      out.add(((JsonObject) a).getString("expr"));
    }
    return out;
  }

  /**
   * The {@code expr} values of a rules file, plain or folded ({@code >-}, continuation lines
   * indented deeper than the key).
   */
  static List<String> ruleExprs(Path rules) throws IOException {
    return yamlValues(Files.readAllLines(rules), "expr");
  }

  /** The {@code record} names a rules file defines. */
  static Set<String> recorded(Path rules) throws IOException {
    return new LinkedHashSet<>(yamlValues(Files.readAllLines(rules), "record"));
  }

  private static List<String> yamlValues(List<String> lines, String key) {
    Pattern keyLine = Pattern.compile("^(\\s*)(?:- )?" + key + ":\\s*(.*)$");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = keyLine.matcher(lines.get(i));
      if (!m.matches()) {
        continue;
      }
      String value = m.group(2).trim();
      if (!value.equals(">-") && !value.equals(">") && !value.equals("|")) {
        out.add(unquote(value));
        continue;
      }
      int indent = m.group(1).length();
      StringBuilder folded = new StringBuilder();
      while (i + 1 < lines.size() && indentOf(lines.get(i + 1)) > indent + 2) {
        folded.append(' ').append(lines.get(++i).trim());
      }
      out.add(folded.toString().trim());
    }
    return out;
  }

  private static int indentOf(String line) {
    if (line.isBlank()) {
      return Integer.MAX_VALUE;
    }
    int n = 0;
    while (line.charAt(n) == ' ') {
      n++;
    }
    return n;
  }

  private static String unquote(String v) {
    if (v.length() >= 2 && (v.startsWith("'") && v.endsWith("'")
        || v.startsWith("\"") && v.endsWith("\""))) {
      return v.substring(1, v.length() - 1);
    }
    return v;
  }

  /** The metric names {@code expr} selects (not functions, keywords, labels or durations). */
  static Set<String> metricNames(String expr) {
    String s = expr.replaceAll("\"[^\"]*\"", "\"\"")
        .replaceAll("\\{[^}]*}", " ")
        .replaceAll("\\[[^]]*]", " ");
    s = LABEL_LIST.matcher(s).replaceAll(" ");
    Set<String> names = new LinkedHashSet<>();
    Matcher m = IDENT.matcher(s);
    while (m.find()) {
      String id = m.group();
      boolean call = s.substring(m.end()).stripLeading().startsWith("(");
      boolean number = m.start() > 0 && Character.isDigit(s.charAt(m.start() - 1));
      if (!call && !number && !KEYWORDS.contains(id.toLowerCase(java.util.Locale.ROOT))) {
        names.add(id);
      }
    }
    return names;
  }

  /** For each selector {@code name{...}} of {@code expr}: the label names its matchers use. */
  static Map<String, Set<String>> matcherLabels(String expr) {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    Matcher m = SELECTOR.matcher(expr.replaceAll("\"[^\"]*\"", "\"\""));
    while (m.find()) {
      Set<String> labels = out.computeIfAbsent(m.group(1), k -> new LinkedHashSet<>());
      Matcher l = MATCHER.matcher(m.group(2));
      while (l.find()) {
        labels.add(l.group(1));
      }
    }
    return out;
  }
}
