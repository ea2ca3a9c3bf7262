package io.spoils.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.gateway.service.Drain;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SettingsTableTest {

  private static final Path README = Path.of("..", "README.md");

  @Test
  void readme_tableInStepWithTheOptions() throws Exception {
    String readme = Files.readString(README);
    int begin = readme.indexOf(SettingsTable.BEGIN + "\n");
    int end = readme.indexOf(SettingsTable.END);
    String expected = SettingsTable.BEGIN + "\n" + SettingsTable.markdown() + SettingsTable.END;
    assertTrue(begin >= 0 && end > begin, "README.md lacks the settings table; paste:\n"
        + expected);
    assertEquals(expected, readme.substring(begin, end + SettingsTable.END.length()),
        "README.md's settings table is out of step with the options classes; paste:\n"
            + expected);
  }

  @Test
  void settings_everyServerKeyWithItsVariableAndDefault() {
    JsonObject defaults = ServerOptions.defaults().toJson();
    Map<String, Setting> byKey = SettingsTable.all().stream().filter(s -> !s.key().isEmpty())
        .collect(Collectors.toMap(Setting::key, s -> s));
    for (String key : defaults.fieldNames()) {
      Setting s = byKey.get(key);
      assertTrue(s != null, "no setting documents " + key);
      assertEquals(ServerOptions.envName(key), s.env(), key);
      assertEquals(text(defaults.getValue(key)), s.defaultValue(), key);
    }
  }

  @Test
  void settings_ingestVariablesAreTheOnesRead() {
    ServerOptions o = ServerOptions.load(Optional.empty(), Map.of("SPOILS_DICOM_PORT", "11112",
        "SPOILS_DICOM_AE", "AE1", "SPOILS_PACS_MAIN_URL", "http://pacs/dicom-web",
        "SPOILS_PACS_MAIN_TIMEOUT_SECONDS", "5", "SPOILS_PACS_MAIN_USER", "u",
        "SPOILS_PACS_MAIN_PASSWORD", "p"));
    assertEquals(11112, o.ingest().dicomPort().getAsInt());
    assertEquals("AE1", o.ingest().dicomAe());
    assertEquals(5, o.ingest().pacs().get("main").timeoutSeconds());
    assertEquals(IngestOptions.DEFAULT_DICOM_AE, ServerOptions.defaults().ingest().dicomAe());
  }

  @Test
  void drain_settingIsDrainsOwn() {
    assertEquals(Drain.ENV, SettingsTable.DRAIN.env());
    assertEquals(Drain.DEFAULT_TIMEOUT.toSeconds(),
        Long.parseLong(SettingsTable.DRAIN.defaultValue()));
  }

  @Test
  void components_viewTheSameValues() {
    ServerOptions o = ServerOptions.defaults().withPort(9)
        .withCorsAllowedOrigins(java.util.List.of("https://a.example"));
    assertEquals(new ListenOptions(ServerOptions.DEFAULT_HOST, 9), o.listen());
    assertEquals(o.maxInFlight(), o.admission().maxInFlight());
    assertEquals(o.timeout(), o.admission().timeout());
    assertEquals(o.tritonPort(), o.backendOptions().tritonPort());
    assertEquals(o.corsAllowedOrigins(), o.cors().allowedOrigins());
  }

  /** A JSON default as the table writes it: 30.0 as 30, an empty list as none. */
  private static String text(Object v) {
    if (v instanceof Double d && d == Math.rint(d)) {
      return Long.toString(d.longValue());
    }
    if (v instanceof JsonArray a) {
      return a.isEmpty() ? "none" : a.encode();
    }
    return String.valueOf(v);
  }
}
