package dev.glint.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyTest {
  static final Credentials MEMBER =
      new Credentials("u1", "p1", "default", "default", List.of("member", "reader"));
  static final Credentials READER =
      new Credentials("u2", "p1", "default", "default", List.of("Reader"));
  static final Credentials ADMIN =
      new Credentials("u3", "p9", "default", "default", List.of("admin", "member", "reader"));

  @TempDir Path dir;

  Policy with(String yaml) throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, yaml);
    return Policy.load(file);
  }

  @ParameterizedTest(name = "{0} → member {1}, reader {2}, admin {3}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "@ | true | true | true",
        "! | false | false | false",
        "`` | true | true | true",
        "role:member | true | false | true",
        "role:READER | true | true | true",
        "is_admin:True | false | false | true",
        "is_admin:False | true | true | false",
        "project_id:%(project_id)s | true | true | false",
        "user_id:%(owner)s | true | false | false",
        "role:member and project_id:%(project_id)s | true | false | false",
        "role:admin or (role:member and project_id:%(project_id)s) | true | false | true",
        "not role:member | false | true | false",
        "not (role:member or role:admin) | false | true | false",
        "rule:context_is_admin or rule:nothing | false | false | true",
        "'p1':%(project_id)s | true | true | true",
        "role:reader and not role:member | false | true | false",
      })
  void evaluatesOsloExpressions(String rule, boolean member, boolean reader, boolean admin)
      throws Exception {
    Policy policy = with("probe: \"" + rule + "\"\n");
    Map<String, String> target = Map.of("project_id", "p1", "owner", "u1");
    assertThat(policy.allowed("probe", MEMBER, target)).isEqualTo(member);
    assertThat(policy.allowed("probe", READER, target)).isEqualTo(reader);
    assertThat(policy.allowed("probe", ADMIN, target)).isEqualTo(admin);
  }

  @Test
  void defaultsLetReadersReadButNotWrite() {
    Policy policy = Policy.defaults();
    for (String read : List.of("get_images", "get_image", "download_image", "get_members")) {
      assertThat(policy.allowed(read, READER, Map.of())).as(read).isTrue();
    }
    for (String write :
        List.of("add_image", "modify_image", "delete_image", "upload_image", "add_member",
            "deactivate", "communitize_image")) {
      assertThat(policy.allowed(write, READER, Map.of())).as(write).isFalse();
      assertThat(policy.allowed(write, MEMBER, Map.of())).as(write).isTrue();
      assertThat(policy.allowed(write, ADMIN, Map.of())).as(write).isTrue();
    }
    assertThat(policy.allowed("publicize_image", MEMBER, Map.of())).isFalse();
    assertThat(policy.allowed("identity:create_user", MEMBER, Map.of())).isFalse();
    assertThat(policy.allowed("identity:create_user", ADMIN, Map.of())).isTrue();
    assertThat(policy.allowed("identity:get_user", READER, Map.of("target.user.id", "u2")))
        .isTrue();
    assertThat(policy.allowed("unknown_rule", ADMIN, Map.of())).isFalse();
  }

  @Test
  void aFileOverridesByNameAndKeepsTheRest() throws Exception {
    Policy policy = with("add_image: \"role:admin\"\nidentity:list_users: \"role:reader\"\n");
    assertThat(policy.allowed("add_image", MEMBER, Map.of())).isFalse();
    assertThat(policy.allowed("identity:list_users", READER, Map.of())).isTrue();
    assertThat(policy.allowed("delete_image", MEMBER, Map.of())).isTrue();
    assertThat(policy.expression("add_image")).isEqualTo("role:admin");
  }

  @Test
  void aJsonPolicyFileWorksToo() throws Exception {
    Policy policy = with("{\"get_images\": \"!\"}");
    assertThat(policy.allowed("get_images", ADMIN, Map.of())).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "add_image: \"role:admin or\" | rule add_image: bad policy rule \"role:admin or\": ends too soon",
        "add_image: \"(role:admin\" | missing ')'",
        "add_image: \"admin\" | 'admin' is not a check",
        "add_image: 3 | rule add_image must be a string expression",
        "- just a list | must map rule names to rule expressions",
      })
  void aBadFileFailsNamingTheRule(String yaml, String message) {
    assertThatThrownBy(() -> with(yaml)).hasMessageContaining(message);
  }

  @Test
  void anAdminRuleThatAsksIsAdminDoesNotLoop() throws Exception {
    Policy policy = with("context_is_admin: \"is_admin:True or role:admin\"\nprobe: \"is_admin:True\"\n");
    assertThat(policy.allowed("probe", ADMIN, Map.of())).isTrue();
    assertThat(policy.allowed("probe", MEMBER, Map.of())).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "IMAGE,GET,/v2/images,get_images",
    "IMAGE,GET,/v2.15/images/abc,get_image",
    "IMAGE,PUT,/v2/images/abc/file,upload_image",
    "IMAGE,GET,/v2/images/abc/file,download_image",
    "IMAGE,DELETE,/v2/images/abc/tags/t1,modify_image",
    "IMAGE,POST,/v2/images/abc/actions/deactivate,deactivate",
    "IMAGE,PUT,/v2/images/abc/members/p2,modify_member",
    "COMPUTE,GET,/v2.1/images/detail,get_images",
    "COMPUTE,GET,/v2/0123abcd/images/detail,get_images",
    "COMPUTE,GET,/v2.1/0123abcd/images/abc,get_image",
    "COMPUTE,DELETE,/v2.1/images/abc,delete_image",
    "COMPUTE,PUT,/v2.1/0123abcd/images/abc/metadata/k,modify_image",
    "COMPUTE,GET,/v2.1/0123abcd/images/abc/metadata,get_image",
  })
  void routesMapToTheirRules(PolicyDefaults.Api api, String method, String path, String rule) {
    assertThat(RouteRules.of(api).ruleFor(method, path)).hasValue(rule);
  }

  @Test
  void versionDocumentsHaveNoRule() {
    assertThat(RouteRules.of(PolicyDefaults.Api.COMPUTE).ruleFor("GET", "/v2.1")).isEmpty();
    assertThat(RouteRules.of(PolicyDefaults.Api.IMAGE).ruleFor("GET", "/versions")).isEmpty();
  }

  @Test
  void docsListEveryRule() throws Exception {
    String doc = Files.readString(Path.of("docs/policy.md"));
    for (PolicyDefaults.Default d : PolicyDefaults.RULES) {
      assertThat(doc).as(d.name()).contains("`" + d.name() + "`");
      if (d.rule() != null) {
        assertThat(doc).as(d.name() + " default").contains("`" + d.rule() + "`");
      }
      for (String op : d.operations()) {
        assertThat(doc).as(op).contains(op);
      }
    }
  }
}
