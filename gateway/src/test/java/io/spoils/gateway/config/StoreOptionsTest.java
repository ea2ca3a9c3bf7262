package io.spoils.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.InvalidInputException;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StoreOptionsTest {

  private static final JsonObject PACS = new JsonObject().put("pacs", new JsonObject()
      .put("main", new JsonObject().put("url", "http://pacs:8042/dicom-web")));

  @Test
  void load_nothingConfigured_storesNowhere() {
    StoreOptions store = IngestOptions.load(new JsonObject(), Map.of()).store();
    assertFalse(store.enabled());
    assertEquals(StoreOptions.defaults(), store);
  }

  @Test
  void load_fileAndEnvironment_environmentWins() {
    JsonObject file = PACS.copy().put("store", new JsonObject().put("dicomweb", "main")
        .put("ae", "PACS@pacs.example.org:104").put("attempts", 2));
    StoreOptions store = IngestOptions.load(file, Map.of("SPOILS_STORE_ATTEMPTS", "5",
        "SPOILS_STORE_PACS_STUDIES", "true", "SPOILS_STORE_TIMEOUT_SECONDS", "12.5",
        "SPOILS_STORE_CALLING_AE", "SPOILSGW")).store();
    assertEquals(Optional.of("main"), store.dicomweb());
    assertEquals(new StoreOptions.Ae("PACS", "pacs.example.org", 104), store.ae().get());
    assertEquals(5, store.attempts());
    assertTrue(store.pacsStudies());
    assertEquals(12.5, store.timeoutSeconds());
    assertEquals(Optional.of("SPOILSGW"), store.callingAe());
  }

  @Test
  void load_dicomwebNamesUnknownPacs_clearError() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> IngestOptions.load(
        new JsonObject(), Map.of("SPOILS_STORE_DICOMWEB", "nowhere")));
    assertTrue(e.getMessage().contains("store.dicomweb names a PACS that is not configured"));
  }

  @Test
  void load_badValues_clearErrors() {
    assertMessage("store.ae must be AET@host:port", Map.of("SPOILS_STORE_AE", "pacs:104"));
    assertMessage("the port must be 1-65535", Map.of("SPOILS_STORE_AE", "PACS@h:70000"));
    assertMessage("store.attempts must be 1-10", Map.of("SPOILS_STORE_ATTEMPTS", "0"));
    assertMessage("store.attempts must be a number", Map.of("SPOILS_STORE_ATTEMPTS", "many"));
    assertMessage("store.timeoutSeconds must be > 0", Map.of("SPOILS_STORE_TIMEOUT_SECONDS", "-1"));
    assertMessage("store.pacsStudies must be true or false",
        Map.of("SPOILS_STORE_PACS_STUDIES", "yes"));
    assertMessage("store.pacsStudies needs a destination",
        Map.of("SPOILS_STORE_PACS_STUDIES", "true"));
  }

  @Test
  void load_unknownKeyInFile_named() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> IngestOptions.load(
        new JsonObject().put("store", new JsonObject().put("url", "x")), Map.of()));
    assertTrue(e.getMessage().startsWith("unknown key \"url\" in store"), e.getMessage());
  }

  @Test
  void serverOptions_storeKeyInFile_accepted() throws Exception {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("spoils", ".json");
    try {
      java.nio.file.Files.writeString(file, PACS.copy().put("store", new JsonObject()
          .put("dicomweb", "main")).encode());
      ServerOptions options = ServerOptions.load(Optional.of(file), Map.of());
      assertEquals(Optional.of("main"), options.ingest().store().dicomweb());
    } finally {
      java.nio.file.Files.delete(file);
    }
  }

  private static void assertMessage(String expected, Map<String, String> env) {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> IngestOptions.load(new JsonObject(), env));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
