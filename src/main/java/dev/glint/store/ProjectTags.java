package dev.glint.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/** The {@code projects.tags} column: a JSON array of strings. */
final class ProjectTags {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ProjectTags() {}

  static String write(List<String> tags) {
    try {
      return MAPPER.writeValueAsString(tags);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<String> read(String json) {
    if (json == null || json.isBlank()) {
      return List.of();
    }
    try {
      return MAPPER.readValue(json, new TypeReference<List<String>>() {});
    } catch (JsonProcessingException e) {
      return List.of();
    }
  }
}
