package dev.glint.metadef;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glint.error.ApiException;
import dev.glint.error.ErrorCode;
import dev.glint.metadef.NamespaceDefinition.AssociationDefinition;
import dev.glint.metadef.NamespaceDefinition.ObjectDefinition;
import dev.glint.store.Database;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Glance's metadata definitions: who sees which namespace, who may change what, protection, and
 * the duplicate and not-found rules, each write in one transaction.
 *
 * <p>Policy is Glance Zed's default: anyone may read what they see (admins see every namespace,
 * others public ones and their project's own), and only admins may write. A namespace the caller
 * cannot see is "not found", never "forbidden".
 */
public final class MetadefService {
  static final String NOT_FOUND = "Namespace %s not found";
  static final String MISSING = "Metadata definition namespace=%s was not found.";
  static final String GENERIC_NOT_FOUND = "The resource could not be found.";

  private final Database db;
  private final Clock clock;
  private final MetadefRepository repo = new MetadefRepository();

  public MetadefService(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** A page of namespaces and their resource type associations. */
  record NamespacePage(
      List<Namespace> namespaces, Map<String, List<ResourceTypeAssociation>> associations) {}

  // --- namespaces

  NamespacePage list(MetadefScope scope, NamespaceQuery query) {
    return db.read(
        h -> {
          Namespace marker = null;
          if (query.marker() != null) {
            marker =
                repo.namespace(h, query.marker())
                    .orElseThrow(() -> notFound(MISSING, query.marker()));
            if (!marker.visibleTo(scope)) {
              throw ApiException.forbidden(
                  "Forbidding request, metadata definition namespace="
                      + query.marker()
                      + " is not visible.");
            }
          }
          List<Namespace> page = repo.namespaces(h, scope, query, marker);
          return new NamespacePage(
              page, repo.associations(h, page.stream().map(Namespace::id).toList()));
        });
  }

  NamespaceDetail create(MetadefScope scope, NamespaceDefinition d) {
    requireAdmin(scope, "add_metadef_namespace");
    return db.write(h -> insert(h, d, scope.projectId(), false));
  }

  /**
   * {@code GET /v2/metadefs/namespaces/{namespace}}: the namespace with its contents; with a
   * resource type, the property names carry that association's prefix.
   */
  NamespaceDetail show(MetadefScope scope, String name, String resourceType) {
    return db.read(
        h -> {
          Namespace ns = repo.namespace(h, name).orElseThrow(() -> notFound(MISSING, name));
          if (!ns.visibleTo(scope)) {
            throw ApiException.notFound(GENERIC_NOT_FOUND);
          }
          NamespaceDetail detail = detail(h, ns);
          return resourceType == null ? detail : prefixed(detail, resourceType);
        });
  }

  Namespace update(MetadefScope scope, String name, NamespaceDefinition d) {
    return db.write(
        h -> {
          Namespace ns = visible(h, scope, name, NOT_FOUND, NOT_FOUND);
          requireAdmin(scope, "modify_metadef_namespace");
          if (!d.namespace().equals(name) && repo.namespace(h, d.namespace()).isPresent()) {
            throw ApiException.conflict(
                "Invalid update. It would result in a duplicate metadata definition namespace"
                    + " with the same name of "
                    + d.namespace());
          }
          Namespace updated =
              new Namespace(
                  ns.id(),
                  d.namespace(),
                  d.displayName(),
                  d.description(),
                  d.visibility() == null ? "private" : d.visibility(),
                  d.isProtected() != null && d.isProtected(),
                  d.owner() != null ? d.owner() : ownerOf(scope),
                  ns.createdAt(),
                  now());
          repo.updateNamespace(h, updated);
          return updated;
        });
  }

  void delete(MetadefScope scope, String name) {
    db.write(
        h -> {
          Namespace ns = visible(h, scope, name, NOT_FOUND, NOT_FOUND);
          requireAdmin(scope, "delete_metadef_namespace");
          requireUnprotected(ns);
          repo.deleteNamespace(h, ns.id());
          return null;
        });
  }

  /** {@code DELETE .../objects}, {@code .../properties}, {@code .../tags}: empty the namespace. */
  void deleteContents(MetadefScope scope, String name, String what) {
    db.write(
        h -> {
          Namespace ns = visible(h, scope, name, NOT_FOUND, NOT_FOUND);
          requireAdmin(scope, "delete_metadef_namespace");
          if (what.equals("tags")) {
            requireAdmin(scope, "delete_metadef_tags");
          }
          requireUnprotected(ns);
          switch (what) {
            case "objects" -> repo.deleteObjects(h, ns.id());
            case "properties" -> repo.deleteProperties(h, ns.id());
            default -> repo.deleteTags(h, ns.id());
          }
          return null;
        });
  }

  // --- objects

  MetadefObject createObject(MetadefScope scope, String namespace, ObjectDefinition d) {
    return db.write(
        h -> {
          Namespace ns = visible(h, scope, namespace, MISSING, NOT_FOUND);
          requireAdmin(scope, "add_metadef_object");
          return insertObject(h, ns, d, now());
        });
  }

  List<MetadefObject> objects(MetadefScope scope, String namespace) {
    return db.read(h -> repo.objects(h, visible(h, scope, namespace, MISSING, NOT_FOUND).id()));
  }

  MetadefObject object(MetadefScope scope, String namespace, String name) {
    return db.read(
        h -> {
          Namespace ns = visible(h, scope, namespace, MISSING, NOT_FOUND);
          return repo.object(h, ns.id(), name).orElseThrow(() -> objectNotFound(name, namespace));
        });
  }

  MetadefObject updateObject(
      MetadefScope scope, String namespace, String name, ObjectDefinition d) {
    return db.write(
        h -> {
          Namespace ns = visible(h, scope, namespace, MISSING, NOT_FOUND);
          requireAdmin(scope, "modify_metadef_object");
          MetadefObject old =
              repo.object(h, ns.id(), name).orElseThrow(() -> objectNotFound(name, namespace));
          if (!d.name().equals(name) && repo.object(h, ns.id(), d.name()).isPresent()) {
            throw ApiException.conflict(
                "Invalid update. It would result in a duplicate metadata definition object with"
                    + " the same name="
                    + d.name()
                    + " in namespace="
                    + namespace
                    + ".");
          }
          MetadefObject updated =
              new MetadefObject(
                  d.name(), d.description(), d.required(), d.properties(), old.createdAt(), now());
          repo.updateObject(h, ns.id(), name, updated);
          return updated;
        });
  }

  void deleteObject(MetadefScope scope, String namespace, String name) {
    db.write(
        h -> {
          Namespace ns = visible(h, scope, namespace, MISSING, NOT_FOUND);
          requireAdmin(scope, "delete_metadef_object");
          repo.object(h, ns.id(), name).orElseThrow(() -> objectNotFound(name, namespace));
          if (ns.isProtected()) {
            throw ApiException.forbidden(
                "Metadata definition object " + name + " is protected and cannot be deleted.");
          }
          repo.deleteObject(h, ns.id(), name);
          return null;
        });
  }

  // --- properties

  ObjectNode properties(MetadefScope scope, String namespace) {
    return db.read(
        h -> repo.properties(h, visible(h, scope, namespace, NOT_FOUND, NOT_FOUND).id()));
  }

  /**
   * One property, its stored name with its definition. With a resource type, {@code name} must
   * carry that association's prefix, which is removed before the lookup.
   */
  Map.Entry<String, ObjectNode> property(
      MetadefScope scope, String namespace, String name, String resourceType) {
    return db.read(
        h -> {
          Namespace ns = visible(h, scope, namespace, NOT_FOUND, NOT_FOUND);
          String stored = name;
          if (resourceType != null) {
            ResourceTypeAssociation a = association(h, ns, resourceType);
            if (a.prefix() != null && !a.prefix().isEmpty() && name.startsWith(a.prefix())) {
              stored = name.substring(a.prefix().length());
            } else {
              throw ApiException.notFound(
                  "Property "
                      + name
                      + " does not start with the expected resource type association prefix of '"
                      + a.prefix()
                      + "'.");
            }
          }
          String found = stored;
          return Map.entry(
              found,
              repo.property(h, ns.id(), found)
                  .orElseThrow(() -> propertyNotFound(found, namespace)));
        });
  }

  ObjectNode createProperty(MetadefScope scope, String namespace, String name, ObjectNode schema) {
    return db.write(
        h -> {
          Namespace ns = visible(h, scope, namespace, NOT_FOUND, NOT_FOUND);
          requireAdmin(scope, "add_metadef_property");
          insertProperty(h, ns, name, schema, now());
          return schema;
        });
  }

  ObjectNode updateProperty(
      MetadefScope scope, String namespace, String name, String newName, ObjectNode schema) {
    return db.write(
        h -> {
          Namespace ns = visible(h, scope, namespace, NOT_FOUND, NOT_FOUND);
          requireAdmin(scope, "modify_metadef_property");
          repo.property(h, ns.id(), name).orElseThrow(() -> propertyNotFound(name, namespace));
          if (!newName.equals(name) && repo.property(h, ns.id(), newName).isPresent()) {
            throw ApiException.conflict(
                "Invalid update. It would result in a duplicate metadata definition property"
                    + " with the same name="
                    + newName
                    + " in namespace="
                    + namespace
                    + ".");
          }
          repo.updateProperty(h, ns.id(), name, newName, schema, now());
          return schema;
        });
  }

  void deleteProperty(MetadefScope scope, String namespace, String name) {
    db.write(
        h -> {
          Namespace ns = visible(h, scope, namespace, NOT_FOUND, NOT_FOUND);
          requireAdmin(scope, "remove_metadef_property");
          repo.property(h, ns.id(), name).orElseThrow(() -> propertyNotFound(name, namespace));
          if (ns.isProtected()) {
            throw ApiException.forbidden(
                "Metadata definition property " + name + " is protected and cannot be deleted.");
          }
          repo.deleteProperty(h, ns.id(), name);
          return null;
        });
  }

  // --- tags

  MetadefTag createTag(MetadefScope scope, String namespace, String name) {
    return db.write(
        h -> {
          Namespace ns = visible(h, scope, namespace, NOT_FOUND, NOT_FOUND);
          requireAdmin(scope, "add_metadef_tag");
          return insertTag(h, ns, name, now());
        });
  }

  /**
   * {@code POST .../tags}: adds the tags, replacing the namespace's tags unless {@code append}
   * ({@code X-Openstack-Append}).
   */
  List<MetadefTag> createTags(
      MetadefScope scope, String namespace, List<String> names, boolean append) {
    return db.write(
        h -> {
          Namespace ns = visible(h, scope, namespace, NOT_FOUND, NOT_FOUND);
          requireAdmin(scope, "add_metadef_tags");
          List<MetadefTag> created = new ArrayList<>();
          if (names.isEmpty()) {
            return created;
          }
          if (!append) {
            repo.deleteTags(h, ns.id());
          }
          Instant now = now();
          for (String name : names) {
            created.add(insertTag(h, ns, name, now));
          }
          return created;
        });
  }

  List<MetadefTag> tags(MetadefScope scope, String namespace, TagQuery query) {
    return db.read(
        h -> {
          Namespace ns = visible(h, scope, namespace, NOT_FOUND, NOT_FOUND);
          MetadefTag marker =
              query.marker() == null
                  ? null
                  : repo.tag(h, ns.id(), query.marker())
                      .orElseThrow(() -> tagNotFound(query.marker(), namespace));
          return repo.tags(h, ns.id(), query, marker);
        });
  }

  MetadefTag tag(MetadefScope scope, String namespace, String name) {
    return db.read(
        h -> {
          Namespace ns = visible(h, scope, namespace, NOT_FOUND, NOT_FOUND);
          return repo.tag(h, ns.id(), name).orElseThrow(() -> tagNotFound(name, namespace));
        });
  }

  MetadefTag updateTag(MetadefScope scope, String namespace, String name, String newName) {
    return db.write(
        h -> {
          Namespace ns = visible(h, scope, namespace, NOT_FOUND, NOT_FOUND);
          requireAdmin(scope, "modify_metadef_tag");
          MetadefTag old =
              repo.tag(h, ns.id(), name).orElseThrow(() -> tagNotFound(name, namespace));
          if (!newName.equals(name) && repo.tag(h, ns.id(), newName).isPresent()) {
            throw duplicateTag(newName, namespace);
          }
          Instant now = now();
          repo.renameTag(h, ns.id(), name, newName, now);
          return new MetadefTag(newName, old.createdAt(), now);
        });
  }

  void deleteTag(MetadefScope scope, String namespace, String name) {
    db.write(
        h -> {
          Namespace ns = visible(h, scope, namespace, NOT_FOUND, NOT_FOUND);
          requireAdmin(scope, "delete_metadef_tag");
          repo.tag(h, ns.id(), name).orElseThrow(() -> tagNotFound(name, namespace));
          if (ns.isProtected()) {
            throw ApiException.forbidden(
                "Metadata definition tag " + name + " is protected and cannot be deleted.");
          }
          repo.deleteTag(h, ns.id(), name);
          return null;
        });
  }

  // --- resource types

  /** Every resource type, whoever asks (Glance lists them all). */
  List<ResourceType> resourceTypes() {
    return db.read(repo::resourceTypes);
  }

  List<ResourceTypeAssociation> associations(MetadefScope scope, String namespace) {
    return db.read(
        h -> repo.associations(h, visible(h, scope, namespace, NOT_FOUND, NOT_FOUND).id()));
  }

  ResourceTypeAssociation associate(
      MetadefScope scope, String namespace, AssociationDefinition d) {
    return db.write(
        h -> {
          Namespace ns = visible(h, scope, namespace, NOT_FOUND, NOT_FOUND);
          requireAdmin(scope, "add_metadef_resource_type_association");
          return insertAssociation(h, ns, d, false, now());
        });
  }

  void dissociate(MetadefScope scope, String namespace, String resourceType) {
    db.write(
        h -> {
          Namespace ns = visible(h, scope, namespace, NOT_FOUND, NOT_FOUND);
          requireAdmin(scope, "remove_metadef_resource_type_association");
          boolean associated =
              repo.associations(h, ns.id()).stream().anyMatch(a -> a.name().equals(resourceType));
          if (!associated) {
            throw ApiException.notFound("Failed to find resource type " + resourceType + " to delete");
          }
          if (ns.isProtected()) {
            throw ApiException.forbidden(
                "Metadata definition resource-type-association "
                    + resourceType
                    + " is protected and cannot be deleted.");
          }
          repo.deleteAssociation(h, ns.id(), resourceType);
          return null;
        });
  }

  // --- loading definition files

  /**
   * Loads one definition as {@code glance-manage db load_metadefs} does: skipped (false) when a
   * namespace of that name exists; otherwise created with its contents, owned by the file's owner
   * or {@code admin}, its resource types created as protected.
   */
  public boolean load(NamespaceDefinition d) {
    return db.write(
        h -> {
          if (repo.namespace(h, d.namespace()).isPresent()) {
            return false;
          }
          insert(h, d, "admin", true);
          return true;
        });
  }

  /**
   * Loads each of Glint's own definition files that this store has not loaded before, so a
   * namespace an operator deletes stays deleted. Safe when several nodes start at once: the first
   * to record a file loads it.
   */
  public void loadShipped() {
    for (String file : MetadefFiles.SHIPPED) {
      NamespaceDefinition d = MetadefFiles.shipped(file);
      db.write(
          h -> {
            if (repo.claimSeed(h, file, now()) && repo.namespace(h, d.namespace()).isEmpty()) {
              insert(h, d, "admin", true);
            }
            return null;
          });
    }
  }

  // --- shared steps

  private NamespaceDetail insert(
      Handle h, NamespaceDefinition d, String defaultOwner, boolean seeded) {
    if (repo.namespace(h, d.namespace()).isPresent()) {
      throw ApiException.conflict(
          "The metadata definition namespace=" + d.namespace() + " already exists.");
    }
    Instant now = now();
    Namespace ns =
        new Namespace(
            UUID.randomUUID().toString(),
            d.namespace(),
            d.displayName(),
            d.description(),
            d.visibility() == null ? "private" : d.visibility(),
            d.isProtected() != null && d.isProtected(),
            d.owner() != null ? d.owner() : defaultOwner,
            now,
            now);
    repo.insertNamespace(h, ns);
    for (AssociationDefinition a : d.associations()) {
      insertAssociation(h, ns, a, seeded, now);
    }
    if (d.properties() != null) {
      for (Map.Entry<String, JsonNode> p : d.properties().properties()) {
        insertProperty(h, ns, p.getKey(), (ObjectNode) p.getValue(), now);
      }
    }
    for (ObjectDefinition o : d.objects()) {
      insertObject(h, ns, o, now);
    }
    for (String tag : d.tags()) {
      insertTag(h, ns, tag, now);
    }
    return detail(h, ns);
  }

  private NamespaceDetail detail(Handle h, Namespace ns) {
    return new NamespaceDetail(
        ns,
        repo.associations(h, ns.id()),
        repo.properties(h, ns.id()),
        repo.objects(h, ns.id()),
        repo.tags(h, ns.id()));
  }

  private MetadefObject insertObject(Handle h, Namespace ns, ObjectDefinition d, Instant now) {
    if (repo.object(h, ns.id(), d.name()).isPresent()) {
      throw ApiException.conflict(
          "A metadata definition object with name="
              + d.name()
              + " already exists in namespace="
              + ns.namespace()
              + ".");
    }
    MetadefObject o = new MetadefObject(d.name(), d.description(), d.required(), d.properties(), now, now);
    repo.insertObject(h, ns.id(), o);
    return o;
  }

  private void insertProperty(Handle h, Namespace ns, String name, ObjectNode schema, Instant now) {
    if (repo.property(h, ns.id(), name).isPresent()) {
      throw ApiException.conflict(
          "A metadata definition property with name="
              + name
              + " already exists in namespace="
              + ns.namespace()
              + ".");
    }
    repo.insertProperty(h, ns.id(), name, schema, now);
  }

  private MetadefTag insertTag(Handle h, Namespace ns, String name, Instant now) {
    if (repo.tag(h, ns.id(), name).isPresent()) {
      throw duplicateTag(name, ns.namespace());
    }
    MetadefTag t = new MetadefTag(name, now, now);
    repo.insertTag(h, ns.id(), t);
    return t;
  }

  private ResourceTypeAssociation insertAssociation(
      Handle h, Namespace ns, AssociationDefinition d, boolean seeded, Instant now) {
    String typeId = repo.resourceTypeId(h, d.name(), seeded, now);
    ResourceTypeAssociation a =
        new ResourceTypeAssociation(d.name(), d.prefix(), d.propertiesTarget(), now, now);
    if (!repo.insertAssociation(h, ns.id(), typeId, a)) {
      throw ApiException.conflict(
          "The metadata definition resource-type association of resource-type="
              + d.name()
              + " to namespace="
              + ns.namespace()
              + " already exists.");
    }
    return a;
  }

  private ResourceTypeAssociation association(Handle h, Namespace ns, String resourceType) {
    if (repo.resourceTypes(h).stream().noneMatch(t -> t.name().equals(resourceType))) {
      throw ApiException.notFound(
          "The metadata definition resource-type with name=" + resourceType + ", was not found.");
    }
    return repo.associations(h, ns.id()).stream()
        .filter(a -> a.name().equals(resourceType))
        .findFirst()
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "The metadata definition resource-type association of resource-type="
                        + resourceType
                        + " to namespace="
                        + ns.namespace()
                        + ", was not found."));
  }

  /** Glance's {@code _prefix_property_name}: the association's prefix on every property name. */
  private static NamespaceDetail prefixed(NamespaceDetail d, String resourceType) {
    Optional<String> prefix =
        d.associations().stream()
            .filter(a -> a.name().equals(resourceType))
            .map(ResourceTypeAssociation::prefix)
            .filter(p -> p != null && !p.isEmpty())
            .findFirst();
    if (prefix.isEmpty()) {
      return d;
    }
    String p = prefix.get();
    List<MetadefObject> objects = new ArrayList<>();
    for (MetadefObject o : d.objects()) {
      objects.add(
          new MetadefObject(
              o.name(),
              o.description(),
              o.required().stream().map(r -> p + r).toList(),
              prefixKeys(o.properties(), p),
              o.createdAt(),
              o.updatedAt()));
    }
    return new NamespaceDetail(
        d.namespace(), d.associations(), prefixKeys(d.properties(), p), objects, d.tags());
  }

  private static ObjectNode prefixKeys(ObjectNode properties, String prefix) {
    ObjectNode out = properties.objectNode();
    properties.properties().forEach(e -> out.set(prefix + e.getKey(), e.getValue()));
    return out;
  }

  /**
   * The namespace if the caller may see it; otherwise 404 with Glance's text for an absent
   * namespace ({@code missing}) or for one outside the caller's reach ({@code invisible}).
   */
  private Namespace visible(
      Handle h, MetadefScope scope, String name, String missing, String invisible) {
    Namespace ns = repo.namespace(h, name).orElseThrow(() -> notFound(missing, name));
    if (!ns.visibleTo(scope)) {
      throw notFound(invisible, name);
    }
    return ns;
  }

  /** Glance Zed's {@code metadef_admin} rule, with oslo.policy's refusal text. */
  private static void requireAdmin(MetadefScope scope, String action) {
    if (!scope.admin()) {
      throw new ApiException(
          ErrorCode.FORBIDDEN, "You are not authorized to complete " + action + " action.");
    }
  }

  private static void requireUnprotected(Namespace ns) {
    if (ns.isProtected()) {
      throw ApiException.forbidden(
          "Metadata definition namespace "
              + ns.namespace()
              + " is protected and cannot be deleted.");
    }
  }

  private static String ownerOf(MetadefScope scope) {
    return scope.projectId() == null ? "admin" : scope.projectId();
  }

  private static ApiException notFound(String template, String name) {
    return ApiException.notFound(template.formatted(name));
  }

  private static ApiException objectNotFound(String name, String namespace) {
    return ApiException.notFound(
        "The metadata definition object with name="
            + name
            + " was not found in namespace="
            + namespace
            + ".");
  }

  private static ApiException propertyNotFound(String name, String namespace) {
    return ApiException.notFound(
        "The metadata definition property with name="
            + name
            + " was not found in namespace="
            + namespace
            + ".");
  }

  private static ApiException tagNotFound(String name, String namespace) {
    return ApiException.notFound(
        "The metadata definition tag with name=" + name + " was not found in namespace=" + namespace + ".");
  }

  private static ApiException duplicateTag(String name, String namespace) {
    return ApiException.conflict(
        "A metadata tag with name="
            + name
            + " already exists in namespace="
            + namespace
            + ". (Please note that metadata tag names are case insensitive).");
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
