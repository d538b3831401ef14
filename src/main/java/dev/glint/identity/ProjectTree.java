package dev.glint.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.error.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Keystone's project hierarchy ({@code parent_id}, parents and subtrees, the rules on creating,
 * disabling and deleting inside a tree) and project tags (the tag API, its checks and the list
 * filters). Thread-safe.
 */
final class ProjectTree {
  /** Keystone's {@code [DEFAULT] max_project_tree_depth}, plus one for the domain. */
  static final int MAX_DEPTH = 5;

  private final IdentityRepository identity;
  private final EffectiveRoles effective;
  private final Authorization authorization;

  ProjectTree(IdentityRepository identity, EffectiveRoles effective, Authorization authorization) {
    this.identity = identity;
    this.effective = effective;
    this.authorization = authorization;
  }

  private void require(Caller caller, String action, Map<String, String> target) {
    authorization.enforce(caller, "identity:" + action, target, KeystoneErrors::forbiddenAction);
  }

  /**
   * The parent a new project names, checked as Keystone's {@code _assert_regular_project_constraints}:
   * it exists, sits in the same domain, is enabled and not too deep. Null for the domain itself.
   */
  String checkedParent(String parentId, String domainId) {
    if (parentId == null || parentId.equals(domainId)) {
      return null;
    }
    Optional<Domain> asDomain = identity.domain(parentId);
    if (asDomain.isPresent()) {
      throw ApiException.badRequest(
          "Cannot create project, the parent (" + parentId + ") is acting as a domain, but this"
              + " project's domain id (" + domainId + ") does not match the parent's id.");
    }
    Project parent =
        identity.project(parentId)
            .orElseThrow(() -> ApiException.badRequest("Could not find project: " + parentId + "."));
    if (!parent.domainId().equals(domainId)) {
      throw ApiException.badRequest(
          "Cannot create project, since it specifies its domain_id " + domainId + ", but specifies"
              + " a parent in a different domain (" + parent.domainId() + ").");
    }
    List<String> chain = new ArrayList<>(List.of(parentId));
    chain.addAll(effective.ancestors(parent));
    for (String id : chain) {
      if (!identity.project(id).map(Project::enabled).orElse(true)) {
        throw ApiException.badRequest(
            "cannot create a project in a branch containing a disabled project: " + id);
      }
    }
    if (chain.size() + 1 > MAX_DEPTH) {
      throw ApiException.forbidden("Max hierarchy depth reached for " + parentId + " branch.");
    }
    return parentId;
  }

  /** The project's ancestors, parent first. */
  List<Project> parents(Project project) {
    return effective.ancestors(project).stream()
        .map(identity::project)
        .flatMap(Optional::stream)
        .toList();
  }

  /** Every project below this one, depth first. */
  List<Project> subtree(Project project) {
    List<Project> all = identity.projects();
    List<Project> out = new ArrayList<>();
    collect(project.id(), all, out);
    return out;
  }

  private static void collect(String parent, List<Project> all, List<Project> out) {
    for (Project p : all) {
      if (parent.equals(p.parentId()) && !out.contains(p)) {
        out.add(p);
        collect(p.id(), all, out);
      }
    }
  }

  /** Keystone's {@code parents_as_ids}: {@code {parent: {grandparent: null}}}, nested upwards. */
  Map<String, Object> parentIds(Project project) {
    Map<String, Object> tree = null;
    List<String> ids = new ArrayList<>(effective.ancestors(project));
    ids.add(project.domainId());
    for (int i = ids.size() - 1; i >= 0; i--) {
      Map<String, Object> level = new LinkedHashMap<>();
      level.put(ids.get(i), tree);
      tree = level;
    }
    return tree;
  }

  /** Keystone's {@code subtree_as_ids}: {@code {child: {grandchild: null}}}, or null. */
  Map<String, Object> subtreeIds(Project project) {
    List<Project> all = identity.projects();
    return childIds(project.id(), all);
  }

  private static Map<String, Object> childIds(String parent, List<Project> all) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Project p : all) {
      if (parent.equals(p.parentId())) {
        out.put(p.id(), childIds(p.id(), all));
      }
    }
    return out.isEmpty() ? null : out;
  }

  /** Children block a delete, as Keystone's {@code is_leaf_project} check. */
  void checkLeaf(String projectId) {
    if (identity.projects().stream().anyMatch(p -> projectId.equals(p.parentId()))) {
      throw ApiException.forbidden(
          "Cannot delete the project " + projectId + " since it is not a leaf in the hierarchy."
              + " Use the cascade option if you want to delete a whole subtree.");
    }
  }

  /** An enabled child blocks disabling its parent. */
  void checkDisable(String projectId) {
    if (identity.projects().stream()
        .anyMatch(p -> projectId.equals(p.parentId()) && p.enabled())) {
      throw ApiException.forbidden(
          "Cannot disable project " + projectId + " since its subtree contains enabled projects.");
    }
  }

  /** Keystone's project tag filters, all four ANDed. */
  static Predicate<Project> tagFilter(Map<String, String> filters) {
    List<String> all = tagList(filters.get("tags"));
    List<String> any = tagList(filters.get("tags-any"));
    List<String> notAll = tagList(filters.get("not-tags"));
    List<String> notAny = tagList(filters.get("not-tags-any"));
    return p ->
        (all == null || p.tags().containsAll(all))
            && (any == null || any.stream().anyMatch(p.tags()::contains))
            && (notAll == null || !p.tags().containsAll(notAll))
            && (notAny == null || notAny.stream().noneMatch(p.tags()::contains));
  }

  private static List<String> tagList(String value) {
    return value == null ? null : List.of(value.split(",", -1));
  }

  /** Checks a tag list as Keystone's {@code project_tags_update} schema. */
  static List<String> checkedTags(List<String> tags) {
    if (tags.size() > 80) {
      throw KeystoneErrors.schema(
          "Invalid input for field 'tags': " + tags.size() + " tags is more than the 80 allowed.");
    }
    List<String> out = new ArrayList<>();
    for (String raw : tags) {
      String tag = raw.strip();
      if (tag.isEmpty() || tag.length() > 255 || tag.contains(",") || tag.contains("/")) {
        throw KeystoneErrors.schema(
            "Invalid input for field 'tags': '" + raw + "' does not match '^[^,/]*$' or has a"
                + " length outside 1 to 255.");
      }
      if (!out.contains(tag)) {
        out.add(tag);
      }
    }
    return out;
  }

  static List<String> tags(JsonNode node, List<String> absent) {
    JsonNode v = node.get("tags");
    if (v == null) {
      return absent;
    }
    if (!v.isArray()) {
      throw KeystoneErrors.schema(
          "Invalid input for field 'tags': " + AuthRequest.repr(v) + " is not of type 'array'");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode t : v) {
      if (!t.isTextual()) {
        throw KeystoneErrors.schema(
            "Invalid input for field 'tags/" + out.size() + "': " + AuthRequest.repr(t)
                + " is not of type 'string'");
      }
      out.add(t.textValue());
    }
    return checkedTags(out);
  }

  public List<String> projectTags(Caller caller, String projectId) {
    require(caller, "list_project_tags", Map.of("target.project.id", projectId));
    return project(projectId).tags();
  }

  public void checkProjectTag(Caller caller, String projectId, String tag) {
    require(caller, "get_project_tag", Map.of("target.project.id", projectId));
    if (!project(projectId).tags().contains(tag)) {
      throw ApiException.notFound("Could not find project tag: " + tag + ".");
    }
  }

  public List<String> replaceProjectTags(Caller caller, String projectId, List<String> tags) {
    require(caller, "update_project_tags", Map.of("target.project.id", projectId));
    List<String> checked = checkedTags(tags);
    return identity.inTransaction(
        () -> {
          Project p = project(projectId);
          identity.updateProject(withTags(p, checked));
          return checked;
        });
  }

  public void deleteProjectTags(Caller caller, String projectId) {
    require(caller, "delete_project_tags", Map.of("target.project.id", projectId));
    identity.inTransaction(() -> identity.updateProject(withTags(project(projectId), List.of())));
  }

  public void addProjectTag(Caller caller, String projectId, String tag) {
    require(caller, "create_project_tag", Map.of("target.project.id", projectId));
    identity.inTransaction(
        () -> {
          Project p = project(projectId);
          List<String> tags = new ArrayList<>(p.tags());
          tags.add(tag);
          return identity.updateProject(withTags(p, checkedTags(tags)));
        });
  }

  public void deleteProjectTag(Caller caller, String projectId, String tag) {
    require(caller, "delete_project_tag", Map.of("target.project.id", projectId));
    identity.inTransaction(
        () -> {
          Project p = project(projectId);
          if (!p.tags().contains(tag)) {
            throw ApiException.notFound("Could not find project tag: " + tag + ".");
          }
          List<String> tags = new ArrayList<>(p.tags());
          tags.remove(tag);
          return identity.updateProject(withTags(p, tags));
        });
  }

  private static Project withTags(Project p, List<String> tags) {
    return new Project(
        p.id(), p.name(), p.domainId(), p.description(), p.enabled(), p.parentId(), tags);
  }

  private Project project(String id) {
    return identity.project(id).orElseThrow(() -> AccountService.notFound("project", id));
  }

}
