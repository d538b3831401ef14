package dev.glint.metadef;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glint.error.ApiException;
import dev.glint.error.ErrorCode;
import dev.glint.http.Json;
import dev.glint.testing.TestStores;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Glance's schemas and python-jsonschema's choice of message. Each expected text is what
 * Debian's jsonschema 4.10.3 (Glance Zed's) says for the same body and schema: {@code
 * str(best_match(...)).split("\n")[0]}.
 */
class SchemaCheckTest {
  @BeforeAll
  static void onceOnly() {
    Assumptions.assumeFalse(TestStores.postgres(), "no store involved: runs once, on SQLite");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock = """
        namespace|{}|'namespace' is a required property
        namespace|{"namespace": "x", "bogus": 1, "other": 2}|Additional properties are not allowed ('bogus', 'other' were unexpected)
        namespace|{"namespace": 5, "bogus": 1}|Additional properties are not allowed ('bogus' was unexpected)
        namespace|{"namespace": "x", "visibility": "x", "protected": "y"}|'y' is not of type 'boolean'
        namespace|{"namespace": "x", "protected": "y", "visibility": "x"}|'y' is not of type 'boolean'
        namespace|{"namespace": "x", "properties": {"p": {"type": "string"}}}|'title' is a required property
        namespace|{"namespace": "x", "objects": [{"name": 1}]}|1 is not of type 'string'
        namespace|{"namespace": "x", "resource_type_associations": [{"name": 3}]}|3 is not of type 'string'
        namespace|{"namespace": "x", "properties": {"p": {"title": "t", "type": "string", "minLength": -1}}}|-1 is less than the minimum of 0
        namespace|{"namespace": "x", "properties": {"p": {"title": "t", "type": "string", "enum": "no"}}}|'no' is not of type 'array'
        namespace|{"namespace": "x", "objects": [{"name": "o", "required": ["a", "a"]}]}|['a', 'a'] has non-unique elements
        object|{"name": "o", "properties": {"p": {"title": "t", "type": null}}}|None is not of type 'string'
        object|{"name": "o", "properties": {"p": {"title": "t", "type": "integer", "minimum": "1"}}}|'1' is not of type 'number'
        property|{"name": "p", "title": "t", "type": "array", "items": {"type": "bogus"}}|'bogus' is not one of ['array', 'boolean', 'integer', 'number', 'object', 'string', None]
        property|{"name": "p", "title": "t", "type": "string", "readonly": "yes"}|'yes' is not of type 'boolean'
        property|{"name": 1.5, "title": "t", "type": "string"}|1.5 is not of type 'string'
        tag|{"name": "ttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt"}|'ttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt' is too long
        resource_type|{"name": "r", "prefix": true}|True is not of type 'string'
        """)
  void violationsReadAsJsonschemasBestMatch(String schema, String body, String message)
      throws Exception {
    SchemaCheck check = SchemaCheck.of(schema);
    assertThatThrownBy(() -> check.validate(Json.MAPPER.readTree(body)))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST))
        .hasMessageEndingWith("': " + message);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock = """
        namespace|{"namespace": "x", "visibility": "public", "protected": true, "properties": {"p": {"title": "t", "type": "integer", "minimum": 1, "default": 4}}}
        object|{"name": "o", "required": ["p"], "properties": {"p": {"title": "t", "type": "array", "items": {"type": "string", "enum": ["a"]}}}}
        property|{"name": "p", "title": "t", "type": "string", "enum": ["a", "b"], "readonly": true}
        tag|{"name": "t"}
        resource_type|{"name": "OS::Glance::Image", "prefix": "hw_", "properties_target": "image"}
        """)
  void validBodiesPass(String schema, String body) throws Exception {
    SchemaCheck.of(schema).validate(Json.MAPPER.readTree(body));
  }
}
