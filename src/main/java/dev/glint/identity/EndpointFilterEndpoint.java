package dev.glint.identity;

import dev.glint.http.Json;
import dev.glint.http.Responses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** {@code /v3/OS-EP-FILTER/...}: endpoint groups and project endpoint filters. */
final class EndpointFilterEndpoint {
  private static final String PREFIX = "/v3/OS-EP-FILTER";

  private final IdentityService identity;
  private final CatalogAdminService catalog;
  private final String base;

  EndpointFilterEndpoint(IdentityService identity, String base) {
    this.identity = identity;
    this.catalog = identity.catalogAdmin();
    this.base = base;
  }

  void routes(RoutesConfig routes) {
    String groups = PREFIX + "/endpoint_groups";
    routes.get(groups, this::listGroups);
    routes.post(groups, this::createGroup);
    routes.get(groups + "/{id}", this::showGroup);
    routes.head(groups + "/{id}", this::showGroup);
    routes.patch(groups + "/{id}", this::updateGroup);
    routes.delete(groups + "/{id}", this::deleteGroup);
    routes.get(groups + "/{id}/endpoints", this::groupEndpoints);
    routes.get(groups + "/{id}/projects", this::groupProjects);
    routes.get(groups + "/{id}/projects/{project_id}", this::showGroupInProject);
    routes.head(groups + "/{id}/projects/{project_id}", this::showGroupInProject);
    routes.put(groups + "/{id}/projects/{project_id}", this::addGroupToProject);
    routes.delete(groups + "/{id}/projects/{project_id}", this::removeGroupFromProject);
    routes.get(PREFIX + "/projects/{project_id}/endpoint_groups", this::projectGroups);
    routes.get(PREFIX + "/endpoints/{endpoint_id}/projects", this::endpointProjects);
    String projectEndpoint = PREFIX + "/projects/{project_id}/endpoints/{endpoint_id}";
    routes.get(projectEndpoint, this::checkProjectEndpoint);
    routes.head(projectEndpoint, this::checkProjectEndpoint);
    routes.put(projectEndpoint, this::addProjectEndpoint);
    routes.delete(projectEndpoint, this::removeProjectEndpoint);
    routes.get(PREFIX + "/projects/{project_id}/endpoints", this::projectEndpoints);
  }

  private Caller caller(Context ctx) {
    return identity.caller(ctx.header("X-Auth-Token"));
  }

  private String self(Context ctx) {
    // The collection's own path, as requested (Keystone's wrap_collection uses request.url).
    return CatalogAdminEndpoint.self(ctx, base, ctx.path().replaceFirst("^.*?/v3/", "/v3/"));
  }

  private void listGroups(Context ctx) {
    var groups = catalog.endpointGroups(caller(ctx), CatalogAdminEndpoint.query(ctx));
    Responses.json(ctx, 200, AdminViews.collection(
        "endpoint_groups", groups, CatalogViews::endpointGroup, base, self(ctx)));
  }

  private void showGroup(Context ctx) {
    var group = catalog.endpointGroup(caller(ctx), ctx.pathParam("id"));
    Responses.json(ctx, 200,
        AdminViews.member("endpoint_group", group, CatalogViews::endpointGroup, base));
  }

  private void createGroup(Context ctx) {
    var group = catalog.createEndpointGroup(caller(ctx), KeystoneBodies.object(ctx));
    Responses.json(ctx, 201,
        AdminViews.member("endpoint_group", group, CatalogViews::endpointGroup, base));
  }

  private void updateGroup(Context ctx) {
    var group =
        catalog.updateEndpointGroup(caller(ctx), ctx.pathParam("id"), KeystoneBodies.object(ctx));
    Responses.json(ctx, 200,
        AdminViews.member("endpoint_group", group, CatalogViews::endpointGroup, base));
  }

  private void deleteGroup(Context ctx) {
    catalog.deleteEndpointGroup(caller(ctx), ctx.pathParam("id"));
    Responses.noContent(ctx, null);
  }

  private void groupEndpoints(Context ctx) {
    var endpoints = catalog.groupEndpoints(caller(ctx), ctx.pathParam("id"));
    Responses.json(ctx, 200, AdminViews.collection(
        "endpoints", endpoints, CatalogViews::endpoint, base, self(ctx)));
  }

  private void groupProjects(Context ctx) {
    var projects = catalog.groupProjects(caller(ctx), ctx.pathParam("id"));
    Responses.json(ctx, 200, AdminViews.collection(
        "projects", projects, AdminViews::project, base, self(ctx)));
  }

  private void showGroupInProject(Context ctx) {
    String group = ctx.pathParam("id");
    String project = ctx.pathParam("project_id");
    catalog.checkGroupInProject(caller(ctx), group, project);
    Responses.json(ctx, 200, Json.bytes(g -> {
      g.writeStartObject();
      g.writeFieldName("project_endpoint_group");
      CatalogViews.association(g, group, project);
      g.writeEndObject();
    }));
  }

  private void addGroupToProject(Context ctx) {
    catalog.addGroupToProject(caller(ctx), ctx.pathParam("id"), ctx.pathParam("project_id"));
    Responses.noContent(ctx, null);
  }

  private void removeGroupFromProject(Context ctx) {
    catalog.removeGroupFromProject(
        caller(ctx), ctx.pathParam("id"), ctx.pathParam("project_id"));
    Responses.noContent(ctx, null);
  }

  private void projectGroups(Context ctx) {
    var groups = catalog.projectGroups(caller(ctx), ctx.pathParam("project_id"));
    Responses.json(ctx, 200, AdminViews.collection(
        "endpoint_groups", groups, CatalogViews::endpointGroup, base, self(ctx)));
  }

  private void endpointProjects(Context ctx) {
    var projects = catalog.endpointProjects(caller(ctx), ctx.pathParam("endpoint_id"));
    Responses.json(ctx, 200, AdminViews.collection(
        "projects", projects, AdminViews::project, base, self(ctx)));
  }

  private void checkProjectEndpoint(Context ctx) {
    catalog.checkEndpointInProject(
        caller(ctx), ctx.pathParam("project_id"), ctx.pathParam("endpoint_id"));
    Responses.noContent(ctx, null);
  }

  private void addProjectEndpoint(Context ctx) {
    catalog.addEndpointToProject(
        caller(ctx), ctx.pathParam("project_id"), ctx.pathParam("endpoint_id"));
    Responses.noContent(ctx, null);
  }

  private void removeProjectEndpoint(Context ctx) {
    catalog.removeEndpointFromProject(
        caller(ctx), ctx.pathParam("project_id"), ctx.pathParam("endpoint_id"));
    Responses.noContent(ctx, null);
  }

  private void projectEndpoints(Context ctx) {
    var endpoints = catalog.projectEndpoints(caller(ctx), ctx.pathParam("project_id"));
    Responses.json(ctx, 200, AdminViews.collection(
        "endpoints", endpoints, CatalogViews::endpoint, base, self(ctx)));
  }
}
