package dev.glint.identity;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.glint.http.Json;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Wire shapes of domains as projects, groups, project families, inferences and assignments. */
final class AccountViews {
  private AccountViews() {}

  /** A domain in project form ({@code is_domain} true, no domain or parent), as Keystone lists it. */
  static void domainAsProject(JsonGenerator g, Domain d, String base) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", d.id());
    g.writeStringField("name", d.name());
    g.writeNullField("domain_id");
    g.writeStringField("description", d.description());
    g.writeBooleanField("enabled", d.enabled());
    g.writeNullField("parent_id");
    g.writeBooleanField("is_domain", true);
    g.writeArrayFieldStart("tags");
    g.writeEndArray();
    g.writeObjectFieldStart("options");
    g.writeEndObject();
    self(g, base + "/v3/projects/" + d.id());
    g.writeEndObject();
  }

  static void group(JsonGenerator g, Group group, String base) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", group.id());
    g.writeStringField("name", group.name());
    g.writeStringField("domain_id", group.domainId());
    g.writeStringField("description", group.description() == null ? "" : group.description());
    self(g, base + "/v3/groups/" + group.id());
    g.writeEndObject();
  }

  /**
   * {@code GET /v3/projects/{id}} with Keystone's {@code parents_as_list|ids} and {@code
   * subtree_as_list|ids} (each pair exclusive, 400 otherwise).
   */
  static byte[] projectWithFamily(
      Project p, AccountService accounts, Map<String, String> query, String base) {
    boolean parentsList = AccountService.isTrue(flag(query, "parents_as_list"));
    boolean parentsIds = AccountService.isTrue(flag(query, "parents_as_ids"));
    boolean subtreeList = AccountService.isTrue(flag(query, "subtree_as_list"));
    boolean subtreeIds = AccountService.isTrue(flag(query, "subtree_as_ids"));
    if (parentsList && parentsIds) {
      throw KeystoneErrors.schema(
          "Cannot use parents_as_list and parents_as_ids query params at the same time.");
    }
    if (subtreeList && subtreeIds) {
      throw KeystoneErrors.schema(
          "Cannot use subtree_as_list and subtree_as_ids query params at the same time.");
    }
    List<Project> parents = parentsList ? accounts.tree().parents(p) : null;
    Map<String, Object> parentIds = parentsIds ? accounts.tree().parentIds(p) : null;
    List<Project> subtree = subtreeList ? accounts.tree().subtree(p) : null;
    Map<String, Object> subtreeMap = subtreeIds ? accounts.tree().subtreeIds(p) : null;
    return Json.bytes(
        g -> {
          g.writeStartObject();
          g.writeFieldName("project");
          // The plain project, then Keystone's extra keys inside the same object.
          byte[] plain = AdminViews.member("p", p, AdminViews::project, base);
          com.fasterxml.jackson.databind.node.ObjectNode node =
              (com.fasterxml.jackson.databind.node.ObjectNode)
                  Json.MAPPER.readTree(plain).get("p");
          if (parents != null) {
            node.set("parents", wrapped(parents, base));
          } else if (parentsIds) {
            node.set("parents", Json.MAPPER.valueToTree(parentIds));
          }
          if (subtree != null) {
            node.set("subtree", wrapped(subtree, base));
          } else if (subtreeIds) {
            node.set("subtree", Json.MAPPER.valueToTree(subtreeMap));
          }
          g.writeTree(node);
          g.writeEndObject();
        });
  }

  /** A present flag with no value ({@code ?subtree_as_list}) counts as true. */
  private static String flag(Map<String, String> query, String key) {
    String v = query.get(key);
    return v == null ? null : v.isEmpty() ? "true" : v;
  }

  /** Keystone's {@code [{"project": {...}}, ...]} for {@code parents_as_list}. */
  private static com.fasterxml.jackson.databind.JsonNode wrapped(List<Project> projects, String base)
      throws IOException {
    com.fasterxml.jackson.databind.node.ArrayNode out = Json.MAPPER.createArrayNode();
    for (Project p : projects) {
      out.add(Json.MAPPER.readTree(AdminViews.member("project", p, AdminViews::project, base)));
    }
    return out;
  }

  /** {@code {"system": [{"all": true}] or [], "links": {...}}} for {@code GET /v3/auth/system}. */
  static byte[] system(boolean held, String self) {
    return Json.bytes(
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("system");
          if (held) {
            g.writeStartObject();
            g.writeBooleanField("all", true);
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeObjectFieldStart("links");
          g.writeStringField("self", self);
          g.writeNullField("previous");
          g.writeNullField("next");
          g.writeEndObject();
          g.writeEndObject();
        });
  }

  /** {@code {"tags": [...], "links": {"self": ...}}}. */
  static byte[] tags(List<String> tags, String self) {
    return Json.bytes(
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("tags");
          for (String t : tags) {
            g.writeString(t);
          }
          g.writeEndArray();
          self(g, self);
          g.writeEndObject();
        });
  }

  /** {@code {"role_inference": {"prior_role": {...}, "implies": {...} or [...]}}}. */
  static byte[] inference(String key, AccountService.Inference i, boolean many, String base, String self) {
    return Json.bytes(
        g -> {
          g.writeStartObject();
          g.writeObjectFieldStart(key);
          inferenceBody(g, i, many, base);
          g.writeEndObject();
          self(g, self);
          g.writeEndObject();
        });
  }

  static byte[] inferences(List<AccountService.Inference> all, String base, String self) {
    return Json.bytes(
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("role_inferences");
          for (AccountService.Inference i : all) {
            g.writeStartObject();
            inferenceBody(g, i, true, base);
            g.writeEndObject();
          }
          g.writeEndArray();
          self(g, self);
          g.writeEndObject();
        });
  }

  private static void inferenceBody(
      JsonGenerator g, AccountService.Inference i, boolean many, String base) throws IOException {
    g.writeFieldName("prior_role");
    roleRef(g, i.prior(), base);
    g.writeFieldName("implies");
    if (many) {
      g.writeStartArray();
      for (Role r : i.implied()) {
        roleRef(g, r, base);
      }
      g.writeEndArray();
    } else {
      roleRef(g, i.implied().get(0), base);
    }
  }

  private static void roleRef(JsonGenerator g, Role r, String base) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", r.id());
    g.writeStringField("name", r.name());
    g.writeStringField("description", r.description());
    self(g, base + "/v3/roles/" + r.id());
    g.writeEndObject();
  }

  /** {@code {"role_assignments": [...], "links": {...}}} as Keystone's {@code _format_entity}. */
  static byte[] assignments(
      List<AccountService.Listed> listed, AccountService.Names names, String base, String self) {
    return Json.bytes(
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("role_assignments");
          for (AccountService.Listed l : listed) {
            assignment(g, l, names, base);
          }
          g.writeEndArray();
          g.writeObjectFieldStart("links");
          g.writeStringField("self", self);
          g.writeNullField("previous");
          g.writeNullField("next");
          g.writeEndObject();
          g.writeEndObject();
        });
  }

  private static void assignment(
      JsonGenerator g, AccountService.Listed l, AccountService.Names names, String base)
      throws IOException {
    RoleAssignment a = l.shown();
    g.writeStartObject();
    g.writeObjectFieldStart("role");
    g.writeStringField("id", a.roleId());
    if (names != null) {
      g.writeStringField("name", names.role(a.roleId()).map(Role::name).orElse(null));
    }
    g.writeEndObject();
    if (a.actorType() == RoleAssignment.Actor.USER) {
      g.writeObjectFieldStart("user");
      g.writeStringField("id", a.actorId());
      if (names != null) {
        User u = names.user(a.actorId()).orElse(null);
        g.writeStringField("name", u == null ? null : u.name());
        if (u != null) {
          domainRef(g, names, u.domainId());
        }
      }
    } else {
      g.writeObjectFieldStart("group");
      g.writeStringField("id", a.actorId());
      if (names != null) {
        Group grp = names.group(a.actorId()).orElse(null);
        g.writeStringField("name", grp == null ? null : grp.name());
        if (grp != null) {
          domainRef(g, names, grp.domainId());
        }
      }
    }
    g.writeEndObject();
    g.writeObjectFieldStart("scope");
    switch (a.targetType()) {
      case PROJECT -> {
        g.writeObjectFieldStart("project");
        g.writeStringField("id", a.targetId());
        if (names != null) {
          Project p = names.project(a.targetId()).orElse(null);
          g.writeStringField("name", p == null ? null : p.name());
          if (p != null) {
            domainRef(g, names, p.domainId());
          }
        }
        g.writeEndObject();
      }
      case DOMAIN -> {
        g.writeObjectFieldStart("domain");
        g.writeStringField("id", a.targetId());
        if (names != null) {
          g.writeStringField("name", names.domain(a.targetId()).map(Domain::name).orElse(null));
        }
        g.writeEndObject();
      }
      case SYSTEM -> {
        g.writeObjectFieldStart("system");
        g.writeBooleanField("all", true);
        g.writeEndObject();
      }
    }
    if (a.inherited()) {
      g.writeStringField("OS-INHERIT:inherited_to", "projects");
    }
    g.writeEndObject();
    g.writeObjectFieldStart("links");
    RoleAssignment source = l.source();
    g.writeStringField("assignment", base + grantPath(source));
    if (source.actorType() == RoleAssignment.Actor.GROUP && a.actorType() == RoleAssignment.Actor.USER) {
      g.writeStringField(
          "membership", base + "/v3/groups/" + source.actorId() + "/users/" + a.actorId());
    }
    if (l.priorRoleId() != null) {
      g.writeStringField("prior_role", base + "/v3/roles/" + l.priorRoleId());
    }
    g.writeEndObject();
    g.writeEndObject();
  }

  /** The URL that created an assignment (Keystone's {@code links.assignment}). */
  static String grantPath(RoleAssignment a) {
    String actor = (a.actorType() == RoleAssignment.Actor.USER ? "/users/" : "/groups/") + a.actorId();
    if (a.targetType() == RoleAssignment.Target.SYSTEM) {
      return "/v3/system" + actor + "/roles/" + a.roleId();
    }
    String target =
        (a.targetType() == RoleAssignment.Target.PROJECT ? "/projects/" : "/domains/") + a.targetId();
    if (a.inherited()) {
      return "/v3/OS-INHERIT" + target + actor + "/roles/" + a.roleId() + "/inherited_to_projects";
    }
    return "/v3" + target + actor + "/roles/" + a.roleId();
  }

  private static void domainRef(JsonGenerator g, AccountService.Names names, String domainId)
      throws IOException {
    g.writeObjectFieldStart("domain");
    g.writeStringField("id", domainId);
    g.writeStringField("name", names.domain(domainId).map(Domain::name).orElse(null));
    g.writeEndObject();
  }

  private static void self(JsonGenerator g, String href) throws IOException {
    g.writeObjectFieldStart("links");
    g.writeStringField("self", href);
    g.writeEndObject();
  }
}
